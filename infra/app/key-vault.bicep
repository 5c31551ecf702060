// The ModelStream API key, in an RBAC-mode vault. The app never sees it in an app setting: ModelStream__ApiKey is
// a Key Vault reference resolved by the platform with the app's user-assigned identity (Key Vault Secrets User,
// granted on this one secret in identity.bicep).

@description('Vault name (3-24 characters).')
param name string
param location string
param tags object

@secure()
@description('The ModelStream API key (sk-...).')
param modelStreamApiKey string

@description('Name of the secret holding the key.')
param secretName string = 'modelstream-api-key'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }
}

resource secret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: secretName
  properties: {
    value: modelStreamApiKey
    contentType: 'text/plain'
  }
}

output name string = vault.name
output secretName string = secret.name
// Unversioned: the reference follows rotations (the platform re-reads within 24 hours, or on restart).
output secretUri string = secret.properties.secretUri
