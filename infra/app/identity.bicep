// Who may do what. The app runs as one user-assigned identity holding exactly:
// - Storage Blob Data Owner (account): trigger and pipeline blobs, the deployment package, and the user-delegation key
//   behind the SAS URL ModelStream downloads the start frame with (that key can only be granted at account scope).
// - Storage Queue Data Contributor (account): task/failure/submission queues and the host's poison queues, which the
//   host creates on first use (creating a queue needs the account).
// - Storage Table Data Contributor (account): the submission ledger (the core creates the table if missing).
// - Monitoring Metrics Publisher (the Application Insights component only): Entra-authenticated telemetry.
// - Key Vault Secrets User (the ModelStream key secret only): the Key Vault reference.
// The Event Grid system topic's own identity holds Storage Blob Data Contributor on the dead-letter container only,
// to write undeliverable events there (shared keys are off, so dead-lettering needs an identity).

param name string
param location string
param tags object

param storageAccountName string
param deadLetterContainerName string
param appInsightsName string
param keyVaultName string
param modelStreamApiKeySecretName string

@description('Principal (object) id of the Event Grid system topic\'s system-assigned identity.')
param eventGridTopicPrincipalId string

@description('Optional principal id of a developer or CI principal granted data access for the CLI (upload, status, redrive).')
param developerPrincipalId string = ''

// Built-in role definition ids (the same in every tenant).
var roleIds = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
}

var appStorageRoles = [
  roleIds.storageBlobDataOwner
  roleIds.storageQueueDataContributor
  roleIds.storageTableDataContributor
]

var developerStorageRoles = [
  roleIds.storageBlobDataContributor
  roleIds.storageQueueDataContributor
  roleIds.storageTableDataContributor
]

// The app's only identity: storage, Key Vault reference, Application Insights ingestion, deployment package.
resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName

  resource blobService 'blobServices' existing = {
    name: 'default'

    resource deadLetters 'containers' existing = {
      name: deadLetterContainerName
    }
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName

  resource modelStreamApiKey 'secrets' existing = {
    name: modelStreamApiKeySecretName
  }
}

resource appStorage 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for roleId in appStorageRoles: {
  name: guid(storage.id, identity.id, roleId)
  scope: storage
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
  }
}]

resource appTelemetry 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, identity.id, roleIds.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.monitoringMetricsPublisher)
  }
}

resource appSecret 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault::modelStreamApiKey.id, identity.id, roleIds.keyVaultSecretsUser)
  scope: vault::modelStreamApiKey
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.keyVaultSecretsUser)
  }
}

resource eventGridDeadLetters 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage::blobService::deadLetters.id, eventGridTopicPrincipalId, roleIds.storageBlobDataContributor)
  scope: storage::blobService::deadLetters
  properties: {
    principalId: eventGridTopicPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.storageBlobDataContributor)
  }
}

resource developerStorage 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for roleId in developerStorageRoles: if (!empty(developerPrincipalId)) {
  name: guid(storage.id, developerPrincipalId, roleId)
  scope: storage
  properties: {
    principalId: developerPrincipalId
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
  }
}]

output id string = identity.id
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
