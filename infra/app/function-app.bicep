// The Flex Consumption function app (dotnet-isolated 10.0) running as the user-assigned identity.

param name string
param location string
param tags object

@description('azd service name in azure.yaml; azd finds the app by this tag.')
param serviceName string = 'functions'

param appServicePlanId string
param storageAccountName string
param deploymentStorageContainerName string

@description('Resource id of the user-assigned identity.')
param identityId string

@description('Client id of the user-assigned identity.')
param identityClientId string

param applicationInsightsName string

@description('ModelStream service root.')
param modelStreamBaseUrl string

@description('Key Vault URI of the ModelStream API key secret (unversioned).')
param modelStreamApiKeySecretUri string

param instanceMemoryMB int = 2048
param maximumInstanceCount int = 100

resource stg 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

// Every app setting, in this one object: tests/StartFrame.Deployment.Tests reads its keys and checks them against
// what the code reads (options classes, the storage connection) and the platform's own names.
// No FUNCTIONS_WORKER_RUNTIME / FUNCTIONS_EXTENSION_VERSION: Flex Consumption takes them from functionAppConfig.
var appSettings = {
  // Identity-based AzureWebJobsStorage, read by the host (triggers) and by the core (its own clients).
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  AzureWebJobsStorage__blobServiceUri: stg.properties.primaryEndpoints.blob
  AzureWebJobsStorage__queueServiceUri: stg.properties.primaryEndpoints.queue
  AzureWebJobsStorage__tableServiceUri: stg.properties.primaryEndpoints.table
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  ModelStream__BaseUrl: modelStreamBaseUrl
  ModelStream__ApiKey: '@Microsoft.KeyVault(SecretUri=${modelStreamApiKeySecretUri})'
}

module functionApp 'br/public:avm/res/web/site:0.15.1' = {
  name: '${serviceName}-flex-consumption'
  params: {
    kind: 'functionapp,linux'
    name: name
    location: location
    tags: union(tags, { 'azd-service-name': serviceName })
    serverFarmResourceId: appServicePlanId
    managedIdentities: {
      systemAssigned: false
      userAssignedResourceIds: [
        identityId
      ]
    }
    // Key Vault references resolve with the user-assigned identity (the default would be a system identity).
    keyVaultAccessIdentityResourceId: identityId
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${stg.properties.primaryEndpoints.blob}${deploymentStorageContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
    siteConfig: {
      alwaysOn: false
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    appSettingsKeyValuePairs: appSettings
  }
}

output name string = functionApp.outputs.name
