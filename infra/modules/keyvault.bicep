// Key Vault in RBAC mode holding the app's secrets. The function app reads them through
// Key Vault references in its app settings (@Microsoft.KeyVault(SecretUri=...)), resolved
// by the platform with the function app's user-assigned identity.

@description('Name of the Key Vault (3-24 letters, digits and hyphens).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region of the Key Vault.')
param location string

@description('Tags applied to the Key Vault.')
param tags object = {}

@description('Turn on purge protection. Irreversible: once on, a deleted vault and its secrets stay recoverable (and their names reserved) for the whole retention period.')
param enablePurgeProtection bool = false

@description('Value of the admin API key.')
@secure()
param adminApiKey string

@description('Name of the secret that holds the admin API key.')
param adminApiKeySecretName string

@description('Value of the active QR signing key (base64).')
@secure()
param qrSigningKey string

@description('Name of the secret that holds the active QR signing key.')
param qrSigningKeySecretName string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    // The API refuses false once purge protection is on, so "off" is expressed as null.
    enablePurgeProtection: enablePurgeProtection ? true : null
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }

  resource adminApiKeySecret 'secrets' = {
    name: adminApiKeySecretName
    properties: {
      value: adminApiKey
      contentType: 'text/plain'
    }
  }

  resource qrSigningKeySecret 'secrets' = {
    name: qrSigningKeySecretName
    properties: {
      value: qrSigningKey
      contentType: 'base64'
    }
  }
}

@description('Name of the Key Vault.')
output name string = vault.name

@description('Vault URI, e.g. https://<name>.vault.azure.net/.')
output uri string = vault.properties.vaultUri
