// User-assigned managed identity used by the function app: by the Functions host
// (deployment package, timer locks, queue triggers), by the app (tables, queues) and
// by the platform (Key Vault references).

@description('Name of the user-assigned managed identity.')
param name string

@description('Azure region of the identity.')
param location string

@description('Tags applied to the identity.')
param tags object = {}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

@description('Resource ID of the identity.')
output resourceId string = identity.id

@description('Client (application) ID of the identity, used in AzureWebJobsStorage__clientId.')
output clientId string = identity.properties.clientId

@description('Object (principal) ID of the identity, used in role assignments.')
output principalId string = identity.properties.principalId
