// Every role the app's identity holds, and nothing broader:
// - Storage Blob Data Owner: trigger and pipeline blobs, the deployment package, and the user-delegation key
//   behind the SAS URL ModelStream downloads the start frame with.
// - Storage Queue Data Contributor: task/failure/submission queues and the host's internal blob-trigger queue.
// - Storage Table Data Contributor: the submission ledger.
// - Monitoring Metrics Publisher (on Application Insights only): Entra-authenticated telemetry.
// - Key Vault Secrets User (on the ModelStream key secret only): the Key Vault reference.

@description('Principal (object) id of the app\'s user-assigned identity.')
param identityPrincipalId string

param storageAccountName string
param appInsightsName string
param keyVaultName string
param modelStreamApiKeySecretName string

@description('Optional principal id of a developer or CI principal granted data access for the CLI (upload, status, redrive).')
param developerPrincipalId string = ''

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

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource modelStreamApiKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' existing = {
  parent: vault
  name: modelStreamApiKeySecretName
}

resource appStorage 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for roleId in appStorageRoles: {
  name: guid(storage.id, identityPrincipalId, roleId)
  scope: storage
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
  }
}]

resource appTelemetry 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, identityPrincipalId, roleIds.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.monitoringMetricsPublisher)
  }
}

resource appSecret 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(modelStreamApiKeySecret.id, identityPrincipalId, roleIds.keyVaultSecretsUser)
  scope: modelStreamApiKeySecret
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.keyVaultSecretsUser)
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
