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
var deploymentStorageContainerName = 'app-package-${take(functionAppName, 32)}-${take(resourceToken, 7)}'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: !empty(resourceGroupName) ? resourceGroupName : '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

// The app's only identity: storage, Key Vault reference, Application Insights ingestion, deployment package.
module identity 'br/public:avm/res/managed-identity/user-assigned-identity:0.4.1' = {
  name: 'identity'
  scope: rg
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}startframe-${resourceToken}'
    location: location
    tags: tags
  }
}

module plan 'br/public:avm/res/web/serverfarm:0.1.1' = {
  name: 'plan'
  scope: rg
  params: {
    name: '${abbrs.webServerFarms}${resourceToken}'
    sku: {
      name: 'FC1'
      tier: 'FlexConsumption'
    }
    reserved: true
    location: location
    tags: tags
  }
}

// Public endpoint on purpose: ModelStream fetches each start frame through a short-lived user-delegation SAS URL
// from the internet (see README, "Network access"). No shared keys: every caller uses Entra ID.
module storage 'br/public:avm/res/storage/storage-account:0.8.3' = {
  name: 'storage'
  scope: rg
  params: {
    name: '${abbrs.storageStorageAccounts}${resourceToken}'
    location: location
    tags: tags
    skuName: 'Standard_LRS'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    dnsEndpointType: 'Standard'
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
    minimumTlsVersion: 'TLS1_2'
    blobServices: {
      containers: [
        {
          name: deploymentStorageContainerName
        }
      ]
    }
  }
}

// The uploads container, the queues and the ledger table the code names (names pinned by a test).
module storageEntities 'app/storage-entities.bicep' = {
  name: 'storage-entities'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
  }
}

module logAnalytics 'br/public:avm/res/operational-insights/workspace:0.11.1' = {
  name: 'log-analytics'
  scope: rg
  params: {
    name: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    location: location
    tags: tags
    dataRetention: 30
  }
}

// Local (key) authentication off: host and worker ingest with the identity (APPLICATIONINSIGHTS_AUTHENTICATION_STRING).
module appInsights 'br/public:avm/res/insights/component:0.6.0' = {
  name: 'app-insights'
  scope: rg
  params: {
    name: '${abbrs.insightsComponents}${resourceToken}'
    location: location
    tags: tags
    workspaceResourceId: logAnalytics.outputs.resourceId
    disableLocalAuth: true
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

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    identityPrincipalId: identity.outputs.principalId
    storageAccountName: storage.outputs.name
    appInsightsName: appInsights.outputs.name
    keyVaultName: keyVault.outputs.name
    modelStreamApiKeySecretName: keyVault.outputs.secretName
    developerPrincipalId: developerPrincipalId
  }
}

module functionApp 'app/function-app.bicep' = {
  name: 'function-app'
  scope: rg
  params: {
    name: functionAppName
    location: location
    tags: tags
    appServicePlanId: plan.outputs.resourceId
    storageAccountName: storage.outputs.name
    deploymentStorageContainerName: deploymentStorageContainerName
    identityId: identity.outputs.resourceId
    identityClientId: identity.outputs.clientId
    applicationInsightsName: appInsights.outputs.name
    modelStreamBaseUrl: modelStreamBaseUrl
    modelStreamApiKeySecretUri: keyVault.outputs.secretUri
  }
  // The first start resolves the Key Vault reference and reaches storage with the identity: grant first.
  dependsOn: [
    rbac
    storageEntities
  ]
}

// Storage events; the subscription to the blob extension webhook is added by the postdeploy hook.
module systemTopic 'br/public:avm/res/event-grid/system-topic:0.6.1' = {
  name: 'event-grid-system-topic'
  scope: rg
  params: {
    name: '${abbrs.eventGridSystemTopics}storage-${resourceToken}'
    location: location
    tags: tags
    source: storage.outputs.resourceId
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

// Read by azd (service deployment) and by the postdeploy hooks.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_STORAGE_BLOB_ENDPOINT string = storage.outputs.primaryBlobEndpoint
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output UPLOADS_CONTAINER_NAME string = storageEntities.outputs.uploadsContainerName
output EVENT_GRID_SYSTEM_TOPIC_NAME string = systemTopic.outputs.name
output APPLICATIONINSIGHTS_NAME string = appInsights.outputs.name
