# azd postdeploy hook (PowerShell 7; azure.yaml runs it on Windows).
# Subscribes the blob extension's webhook to Microsoft.Storage.BlobCreated events of the uploads container, so the
# Event Grid-sourced blob trigger StartFrameUploaded fires. Runs after deploy because the blobs_extension system key
# exists only once the host has started with the blob trigger. Safe to re-run: the PUT overwrites the subscription.
# Nothing is lost: Event Grid retries a failed delivery for 24 hours (30 attempts), then writes the event to the
# dead-letter container with the system topic's own identity (shared keys are off), where
# `startframe redrive --dead-letter` finds it. Same steps as postdeploy.sh.
$ErrorActionPreference = 'Stop'

if (-not (Get-Command az -ErrorAction SilentlyContinue)) {
    Write-Error "The Azure CLI (az) is required for this hook; see README, Deploy with azd."
    exit 1
}

foreach ($name in 'AZURE_SUBSCRIPTION_ID', 'AZURE_FUNCTION_APP_NAME', 'RESOURCE_GROUP', 'EVENT_GRID_SYSTEM_TOPIC_NAME', 'UPLOADS_CONTAINER_NAME', 'DEAD_LETTER_CONTAINER_NAME', 'AZURE_STORAGE_ACCOUNT_ID') {
    if (-not [Environment]::GetEnvironmentVariable($name)) {
        Write-Error "$name is not set: run this through azd (azd up or azd deploy)."
        exit 1
    }
}

$functionName = 'StartFrameUploaded'
$subscriptionName = 'start-frames-blob-created'

$hostName = az functionapp show --subscription $env:AZURE_SUBSCRIPTION_ID --name $env:AZURE_FUNCTION_APP_NAME --resource-group $env:RESOURCE_GROUP --query defaultHostName --output tsv
if ($LASTEXITCODE -ne 0 -or -not $hostName) {
    Write-Error "Could not read the host name of $($env:AZURE_FUNCTION_APP_NAME)."
    exit 1
}

# The key appears once the host has indexed the functions; a request wakes a scaled-to-zero app.
$blobsKey = ''
for ($attempt = 1; $attempt -le 30 -and -not $blobsKey; $attempt++) {
    try {
        Invoke-WebRequest -Uri "https://$hostName/" -Method Get -TimeoutSec 10 -UseBasicParsing | Out-Null
    }
    catch {
        # Any answer (even 404) wakes the host; failures here are not fatal.
    }
    $blobsKey = az functionapp keys list --subscription $env:AZURE_SUBSCRIPTION_ID --name $env:AZURE_FUNCTION_APP_NAME --resource-group $env:RESOURCE_GROUP `
        --query "systemKeys.blobs_extension" --output tsv 2>$null
    if (-not $blobsKey) {
        Write-Host "waiting for the blobs_extension key of $($env:AZURE_FUNCTION_APP_NAME) ($attempt/30)..."
        Start-Sleep -Seconds 10
    }
}

if (-not $blobsKey) {
    Write-Error ("No blobs_extension key after 5 minutes. Check that the app started (Application Insights, or " +
        "'az functionapp function list -n $($env:AZURE_FUNCTION_APP_NAME) -g $($env:RESOURCE_GROUP)'), then run 'azd deploy' again.")
    exit 1
}

$endpoint = "https://$hostName/runtime/webhooks/blobs?functionName=Host.Functions.$functionName&code=$blobsKey"
$subjectPrefix = "/blobServices/default/containers/$($env:UPLOADS_CONTAINER_NAME)/"

# The endpoint URL holds '&'; handed to az.cmd on Windows it would split the command line, so the subscription is
# written through ARM with a JSON body file instead (same resource and settings as `az eventgrid system-topic event-subscription create` in postdeploy.sh).
$body = @{
    properties = @{
        destination         = @{
            endpointType = 'WebHook'
            properties   = @{ endpointUrl = $endpoint }
        }
        filter              = @{
            includedEventTypes = @('Microsoft.Storage.BlobCreated')
            subjectBeginsWith  = $subjectPrefix
        }
        eventDeliverySchema = 'EventGridSchema'
        retryPolicy         = @{
            maxDeliveryAttempts      = 30
            eventTimeToLiveInMinutes = 1440
        }
        # Written with the system topic's identity: the storage account takes no shared keys.
        deadLetterWithResourceIdentity = @{
            identity              = @{ type = 'SystemAssigned' }
            deadLetterDestination = @{
                endpointType = 'StorageBlob'
                properties   = @{
                    resourceId        = $env:AZURE_STORAGE_ACCOUNT_ID
                    blobContainerName = $env:DEAD_LETTER_CONTAINER_NAME
                }
            }
        }
    }
} | ConvertTo-Json -Depth 8

$url = "https://management.azure.com/subscriptions/$($env:AZURE_SUBSCRIPTION_ID)/resourceGroups/$($env:RESOURCE_GROUP)" +
    "/providers/Microsoft.EventGrid/systemTopics/$($env:EVENT_GRID_SYSTEM_TOPIC_NAME)" +
    "/eventSubscriptions/$($subscriptionName)?api-version=2022-06-15"
$bodyFile = New-TemporaryFile
try {
    Set-Content -Path $bodyFile.FullName -Value $body -Encoding utf8NoBOM
    az rest --method put --url $url --body "@$($bodyFile.FullName)" --output none
    if ($LASTEXITCODE -ne 0) {
        exit $LASTEXITCODE
    }
}
finally {
    Remove-Item -Path $bodyFile.FullName -ErrorAction SilentlyContinue
}

Write-Host "Event Grid subscription '$subscriptionName': BlobCreated under $subjectPrefix -> Host.Functions.$functionName;"
Write-Host "undeliverable events after 30 attempts or 24 hours -> container $($env:DEAD_LETTER_CONTAINER_NAME) (startframe redrive --dead-letter)."
