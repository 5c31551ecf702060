// StartFrame on Azure: a Flex Consumption function app that turns start frames uploaded to storage into
// ModelStream video tasks. Keyless: one user-assigned identity, no storage keys, the API key in Key Vault.
// The Event Grid subscription is created after deploy by infra/hooks/postdeploy.* (the blob extension's
// webhook key exists only once the app runs).
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; seeds the unique token in every resource name.')
param environmentName string

@minLength(1)
@description('Region of every resource; must offer Flex Consumption.')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@secure()
@minLength(1)
@description('The ModelStream API key (sk-...). Stored only in Key Vault; the app reads it through a Key Vault reference.')
param modelStreamApiKey string

@description('ModelStream service root.')
param modelStreamBaseUrl string = 'https://api.modelstream.ai'

@description('Optional object id of a person (or CI principal) who may upload, inspect the ledger and redrive from the CLI. Empty: nobody but the app.')
param developerPrincipalId string = ''

@description('Optional resource group name; default rg-<environmentName>.')
param resourceGroupName string = ''

var abbrs = loadJsonContent('./abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var functionAppName = '${abbrs.webSitesFunctions}${resourceToken}'
// Flex Consumption deploys from a blob container the app reads with its identity.
var deploymentContainerName = 'app-package-${take(functionAppName, 32)}-${take(resourceToken, 7)}'
// Where Event Grid writes BlobCreated events it could not deliver (StartFrameOptions.DeadLetterContainer).
var deadLetterContainerName = 'start-frames-deadletter'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: !empty(resourceGroupName) ? resourceGroupName : '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

// Every resource is declared in the local modules of app/, one concern each (no registry modules: the public Bicep
// registry is not reachable where this is built and tested, and local modules are type-checked on every build).
module storage 'app/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: '${abbrs.storageStorageAccounts}${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    deadLetterContainerName: deadLetterContainerName
  }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    appInsightsName: '${abbrs.insightsComponents}${resourceToken}'
    location: location
    tags: tags
  }
}

module keyVault 'app/key-vault.bicep' = {
  name: 'key-vault'
  scope: rg
  params: {
    name: '${abbrs.keyVaultVaults}${resourceToken}'
    location: location
    tags: tags
    modelStreamApiKey: modelStreamApiKey
  }
}

// Storage events; the subscription to the blob extension's webhook is added by the postdeploy hook.
module eventGrid 'app/event-grid.bicep' = {
  name: 'event-grid'
  scope: rg
  params: {
    name: '${abbrs.eventGridSystemTopics}storage-${resourceToken}'
    location: location
    tags: tags
    storageAccountId: storage.outputs.id
  }
}

module identity 'app/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}startframe-${resourceToken}'
    location: location
    tags: tags
    storageAccountName: storage.outputs.name
    deadLetterContainerName: storage.outputs.deadLetterContainerName
    appInsightsName: monitoring.outputs.appInsightsName
    keyVaultName: keyVault.outputs.name
    modelStreamApiKeySecretName: keyVault.outputs.secretName
    eventGridTopicPrincipalId: eventGrid.outputs.principalId
    developerPrincipalId: developerPrincipalId
  }
}

// Reads the identity module's outputs, so it starts only once every role is granted: the first start resolves the
// Key Vault reference and reaches storage with the identity.
module functionApp 'app/function-app.bicep' = {
  name: 'function-app'
  scope: rg
  params: {
    planName: '${abbrs.webServerFarms}${resourceToken}'
    name: functionAppName
    location: location
    tags: tags
    storageAccountName: storage.outputs.name
    deploymentContainerName: deploymentContainerName
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    appInsightsName: monitoring.outputs.appInsightsName
    modelStreamBaseUrl: modelStreamBaseUrl
    modelStreamApiKeySecretUri: keyVault.outputs.secretUri
  }
}

// Read by azd (service deployment), by the postdeploy hooks and by the README's commands.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_STORAGE_ACCOUNT_ID string = storage.outputs.id
output AZURE_STORAGE_BLOB_ENDPOINT string = storage.outputs.blobEndpoint
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output UPLOADS_CONTAINER_NAME string = storage.outputs.uploadsContainerName
output DEAD_LETTER_CONTAINER_NAME string = storage.outputs.deadLetterContainerName
output EVENT_GRID_SYSTEM_TOPIC_NAME string = eventGrid.outputs.name
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.appInsightsName
