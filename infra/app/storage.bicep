// The storage account and everything StartFrame keeps in it. Keyless: shared keys are off, every caller uses Entra ID.
// The container, queue and table names equal the constants of StartFrame.Core.StartFrameOptions (a test pins that):
// adding one is one line in the lists below. Each trigger's container or queue is in the core's trigger table
// (StartFrame.Core.Storage.TriggerTable; a test holds this file to it). Its poison queues (video-submissions-poison,
// upload-rechecks-poison, video-tracking-poison, webjobs-blobtrigger-poison) are created by the Functions host when
// first needed and deliberately not deployed here.

param name string
param location string
param tags object

@description('Container Flex Consumption deploys the app package from (read with the app\'s identity).')
param deploymentContainerName string

@description('Container Event Grid writes undeliverable BlobCreated events to (read by `startframe redrive --dead-letter`).')
param deadLetterContainerName string

@description('Days a replaced or deleted start frame stays readable as a previous version or snapshot: at least the longest SAS lifetime the app allows (StartFrame__SasLifetime, 7 days).')
param previousVersionRetentionDays int = 7

var uploadsContainerName = 'start-frames'
var containerNames = [
  uploadsContainerName
  deadLetterContainerName
  deploymentContainerName
  // Records too large for a queue message (their queue carries a pointer); consumers of video-tasks read it.
  'video-records'
  // Finished videos, copied from ModelStream's expiring result URLs (videos/a/b/cat/<taskId>.mp4).
  'videos'
]
var queueNames = [
  'video-tasks'
  'video-task-failures'
  'video-submissions'
  // Uploads to look at again once another run's claim on them has run out (UploadRecheckDue).
  'upload-rechecks'
  // Tracking: each message polls one task once and comes back after a visibility delay (VideoTrackingDue).
  'video-tracking'
  // One completion record per task: the video is in storage, or why there is none.
  'video-completions'
]
var tableNames = [
  'startframeledger'
  'startframeowed'
  // Generation times learned per model, duration and resolution: where each task's first poll is placed.
  'startframegentimes'
  // Admission control: one row per ModelStream task the account may have unfinished at once.
  'startframeslots'
]

// Public endpoint on purpose: ModelStream fetches each start frame through a short-lived user-delegation SAS URL from
// the internet (README, "Network access"). Without a SAS or an Entra token nothing is readable.
resource account 'Microsoft.Storage/storageAccounts@2024-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    allowCrossTenantReplication: false
    defaultToOAuthAuthentication: true
    dnsEndpointType: 'Standard'
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

// Versioning: the SAS URL handed to ModelStream can name the exact version that was validated, so a later overwrite
// of the same blob name cannot change what ModelStream downloads.
resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2024-01-01' = {
  parent: account
  name: 'default'
  properties: {
    isVersioningEnabled: true
  }
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = [for containerName in containerNames: {
  parent: blobService
  name: containerName
  properties: {
    publicAccess: 'None'
  }
}]

// Previous versions and snapshots of start frames are kept only as long as a SAS URL naming them can be in use.
resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2024-01-01' = {
  parent: account
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'expire-previous-start-frames'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
              ]
              prefixMatch: [
                '${uploadsContainerName}/'
              ]
            }
            actions: {
              version: {
                delete: {
                  daysAfterCreationGreaterThan: previousVersionRetentionDays
                }
              }
              snapshot: {
                delete: {
                  daysAfterCreationGreaterThan: previousVersionRetentionDays
                }
              }
            }
          }
        }
      ]
    }
  }
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2024-01-01' = {
  parent: account
  name: 'default'
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2024-01-01' = [for queueName in queueNames: {
  parent: queueService
  name: queueName
}]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2024-01-01' = {
  parent: account
  name: 'default'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2024-01-01' = [for tableName in tableNames: {
  parent: tableService
  name: tableName
}]

output name string = account.name
output id string = account.id
output blobEndpoint string = account.properties.primaryEndpoints.blob
output queueEndpoint string = account.properties.primaryEndpoints.queue
output tableEndpoint string = account.properties.primaryEndpoints.table
output uploadsContainerName string = uploadsContainerName
output deadLetterContainerName string = deadLetterContainerName
