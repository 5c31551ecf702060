// What StartFrame reads and writes in its storage account, created up front (the code also creates them if
// missing at startup, so a local Azurite run needs no infra). The names equal the constants in
// StartFrame.Core.StartFrameOptions; tests/StartFrame.Deployment.Tests pins that.
// video-submissions-poison, video-tracking-poison and webjobs-blobtrigger-poison are created by the Functions host when
// first needed.

@description('The storage account (already deployed).')
param storageAccountName string

var uploadsContainerName = 'start-frames'
var videosContainerName = 'videos'
var queueNames = [
  'video-tasks'
  'video-task-failures'
  'video-submissions'
  'video-tracking'
  'video-completions'
]
var ledgerTableName = 'startframeledger'

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' existing = {
  parent: storage
  name: 'default'
}

resource uploads 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: uploadsContainerName
  properties: {
    publicAccess: 'None'
  }
}

// Finished videos, copied from ModelStream's expiring result URLs (videos/<start frame path>/<taskId>.mp4).
resource videos 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: videosContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' existing = {
  parent: storage
  name: 'default'
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [for queueName in queueNames: {
  parent: queueService
  name: queueName
}]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' existing = {
  parent: storage
  name: 'default'
}

resource ledger 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = {
  parent: tableService
  name: ledgerTableName
}

output uploadsContainerName string = uploads.name
output videosContainerName string = videos.name
output queueNames array = queueNames
output ledgerTableName string = ledger.name
