// The storage account's Event Grid system topic. Its subscription to the blob extension's webhook is made by
// infra/hooks/postdeploy.* (the webhook key exists only once the app runs); it dead-letters undeliverable events with
// this topic's own identity (shared keys are off), granted on the dead-letter container in identity.bicep.

param name string
param location string
param tags object

@description('Resource id of the storage account whose events the topic carries.')
param storageAccountId string

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: name
  location: location
  tags: tags
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    source: storageAccountId
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

output name string = topic.name
output principalId string = topic.identity.principalId
