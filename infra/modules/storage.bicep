// Storage account shared by the Functions host and the app:
// - Blob: the Flex Consumption deployment package container, host keys, timer locks and status.
// - Queue: feedback-submitted, followup-requested, webhook-deliveries (+ "-poison" queues the host creates on demand).
// - Table: the app's data (tables are created by the app).
// Shared key access is disabled: every client authenticates with Microsoft Entra ID.

@description('Name of the storage account (3-24 lowercase letters and digits).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region of the storage account.')
param location string

@description('Tags applied to the storage account.')
param tags object = {}

@description('Name of the blob container that holds the function app deployment package.')
param deploymentContainerName string

@description('Queues the functions are triggered by. Created up front so the triggers find them on first start.')
param queueNames array = []

@description('Storage redundancy.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
])
param skuName string = 'Standard_LRS'

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowCrossTenantReplication: false
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }

  resource blobService 'blobServices' = {
    name: 'default'

    resource deploymentContainer 'containers' = {
      name: deploymentContainerName
      properties: {
        publicAccess: 'None'
      }
    }
  }

  resource queueService 'queueServices' = {
    name: 'default'

    resource queues 'queues' = [
      for queueName in queueNames: {
        name: queueName
      }
    ]
  }
}

@description('Name of the storage account.')
output name string = storage.name

@description('Resource ID of the storage account.')
output resourceId string = storage.id

@description('Primary blob endpoint, e.g. https://<account>.blob.core.windows.net/.')
output blobEndpoint string = storage.properties.primaryEndpoints.blob
