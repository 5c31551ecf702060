#!/bin/sh
# azd postdeploy hook (POSIX sh; azure.yaml runs it with `sh`).
# Subscribes the blob extension's webhook to Microsoft.Storage.BlobCreated events of the uploads container, so the
# Event Grid-sourced blob trigger StartFrameUploaded fires. Runs after deploy because the blobs_extension system key
# exists only once the host has started with the blob trigger. Safe to re-run: `create` overwrites the subscription.
# Nothing is lost: Event Grid retries a failed delivery for 24 hours (30 attempts), then writes the event to the
# dead-letter container with the system topic's own identity (shared keys are off), where
# `startframe redrive --dead-letter` finds it.
set -eu

if ! command -v az >/dev/null 2>&1; then
  echo "error: the Azure CLI (az) is required for this hook; see README, Deploy with azd." >&2
  exit 1
fi

: "${AZURE_SUBSCRIPTION_ID:?not set: run this through azd (azd up or azd deploy)}"
: "${AZURE_FUNCTION_APP_NAME:?not set: run this through azd (azd up or azd deploy)}"
: "${RESOURCE_GROUP:?not set: run this through azd (azd up or azd deploy)}"
: "${EVENT_GRID_SYSTEM_TOPIC_NAME:?not set: run azd provision first}"
: "${UPLOADS_CONTAINER_NAME:?not set: run azd provision first}"
: "${DEAD_LETTER_CONTAINER_NAME:?not set: run azd provision first}"
: "${AZURE_STORAGE_ACCOUNT_ID:?not set: run azd provision first}"

function_name="StartFrameUploaded"
subscription_name="start-frames-blob-created"

host_name=$(az functionapp show --subscription "$AZURE_SUBSCRIPTION_ID" --name "$AZURE_FUNCTION_APP_NAME" --resource-group "$RESOURCE_GROUP" --query defaultHostName --output tsv)

# The key appears once the host has indexed the functions; a request wakes a scaled-to-zero app.
blobs_key=""
attempt=0
while [ -z "$blobs_key" ] && [ "$attempt" -lt 30 ]; do
  attempt=$((attempt + 1))
  if command -v curl >/dev/null 2>&1; then
    curl --silent --output /dev/null --max-time 10 "https://$host_name/" || true
  fi
  blobs_key=$(az functionapp keys list --subscription "$AZURE_SUBSCRIPTION_ID" --name "$AZURE_FUNCTION_APP_NAME" --resource-group "$RESOURCE_GROUP" \
    --query "systemKeys.blobs_extension" --output tsv 2>/dev/null || true)
  if [ -z "$blobs_key" ]; then
    echo "waiting for the blobs_extension key of $AZURE_FUNCTION_APP_NAME ($attempt/30)..."
    sleep 10
  fi
done

if [ -z "$blobs_key" ]; then
  echo "error: no blobs_extension key after 5 minutes. Check that the app started (Application Insights, or" >&2
  echo "'az functionapp function list -n $AZURE_FUNCTION_APP_NAME -g $RESOURCE_GROUP'), then run 'azd deploy' again." >&2
  exit 1
fi

endpoint="https://$host_name/runtime/webhooks/blobs?functionName=Host.Functions.$function_name&code=$blobs_key"
subject_prefix="/blobServices/default/containers/$UPLOADS_CONTAINER_NAME/"
dead_letter_container="$AZURE_STORAGE_ACCOUNT_ID/blobServices/default/containers/$DEAD_LETTER_CONTAINER_NAME"

az eventgrid system-topic event-subscription create \
  --subscription "$AZURE_SUBSCRIPTION_ID" \
  --name "$subscription_name" \
  --resource-group "$RESOURCE_GROUP" \
  --system-topic-name "$EVENT_GRID_SYSTEM_TOPIC_NAME" \
  --endpoint-type webhook \
  --endpoint "$endpoint" \
  --included-event-types Microsoft.Storage.BlobCreated \
  --subject-begins-with "$subject_prefix" \
  --max-delivery-attempts 30 \
  --event-ttl 1440 \
  --deadletter-identity systemassigned \
  --deadletter-identity-endpoint "$dead_letter_container" \
  --output none

echo "Event Grid subscription '$subscription_name': BlobCreated under $subject_prefix -> Host.Functions.$function_name;"
echo "undeliverable events after 30 attempts or 24 hours -> container $DEAD_LETTER_CONTAINER_NAME (startframe redrive --dead-letter)."
