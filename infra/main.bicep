// Feedback: Azure infrastructure.
//
// A Flex Consumption function app running the Feedback ASP.NET Core app as a custom handler,
// with identity-based storage (Table, Queue, Blob), Application Insights with Microsoft Entra ID
// auth, and a Key Vault holding the admin key and the QR signing key.
//
// Deploy with `azd up` (see docs/deploy.md). Every app setting this template sets is in the
// variable `appSettings` below.

targetScope = 'subscription'

// ---------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------

@minLength(1)
@maxLength(64)
@description('Name of the environment (azd environment name). Used in the resource group name and to derive the unique token in every other resource name.')
param environmentName string

@minLength(1)
@description('Azure region for all resources. Must be a region that offers the Flex Consumption plan (`az functionapp list-flexconsumption-locations`).')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Public base URL of the survey, e.g. https://feedback.example.com, without a trailing slash. Used in QR codes and links and, as an origin, in CORS. Empty: the function app\'s own URL.')
param publicBaseUrl string = ''

@secure()
@minLength(32)
@description('Admin API key (Admin__ApiKey). At least 32 characters; generate with `openssl rand -base64 32`. Stored in Key Vault, never output.')
param adminApiKey string

@minLength(1)
@maxLength(32)
@description('Key id of the active QR signing key (Tokens__ActiveKeyId). Letters and digits only: it becomes part of an app setting name (Tokens__Keys__<kid>) and of a Key Vault secret name.')
param qrSigningKeyId string = 'k1'

@secure()
@minLength(44)
@description('Active QR signing key, base64 of at least 32 random bytes (`openssl rand -base64 32`). Stored in Key Vault as secret qr-signing-key-<kid>, never output.')
param qrSigningKey string

@description('Comma-separated key ids of earlier QR signing keys to keep accepting (e.g. "k1" after switching to k2). Their secrets qr-signing-key-<kid> must already be in the Key Vault, which they are if an earlier deployment had them active.')
param retainedQrSigningKeyIds string = ''

@description('NCRONTAB schedule (6 fields, UTC) of the AggregateScores timer (Scores__Schedule).')
param scoresSchedule string = '0 */5 * * * *'

@description('NCRONTAB schedule (6 fields, UTC) of the CheckDevices timer, which raises device.offline / device.online (Devices__CheckSchedule).')
param devicesCheckSchedule string = '30 * * * * *'

@minValue(1)
@description('Days raw feedback is kept before retention deletes it (Retention__Days).')
param retentionDays int = 400

@minValue(1)
@description('Days customer contact details are kept (Retention__ContactDays).')
param retentionContactDays int = 30

@description('Allow webhooks to private network targets (Webhooks__AllowPrivateTargets). Keep false in Azure.')
param webhooksAllowPrivateTargets bool = false

@allowed([
  512
  2048
  4096
])
@description('Memory of each Flex Consumption instance in MB. CPU is proportional (512 MB = 0.25 core, 2048 MB = 1 core, 4096 MB = 2 cores).')
param instanceMemoryMB int = 2048

@minValue(1)
@maxValue(1000)
@description('Maximum number of instances the app scales out to (each scale group counts). The platform may enforce a higher minimum.')
param maximumInstanceCount int = 100

@description('Turn on Key Vault purge protection (irreversible). Recommended for production.')
param keyVaultPurgeProtection bool = false

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
  product: 'feedback'
}

var names = {
  resourceGroup: 'rg-${environmentName}'
  identity: 'id-${resourceToken}'
  storageAccount: 'st${resourceToken}'
  logAnalytics: 'log-${resourceToken}'
  applicationInsights: 'appi-${resourceToken}'
  keyVault: 'kv-${resourceToken}'
  plan: 'asp-${resourceToken}'
  functionApp: 'func-${resourceToken}'
}

// Blob container for the Flex Consumption deployment package.
var deploymentContainerName = 'app-package'

// Queues named in the queue triggers' function.json files.
var queueNames = [
  'feedback-submitted'
  'followup-requested'
  'webhook-deliveries'
]

// Key Vault secret names and versionless secret URIs. The vault URI is built from the name so it
// can be used before the vault exists (https://<name>.vault.azure.net/ in the public cloud).
var keyVaultUri = 'https://${names.keyVault}${environment().suffixes.keyvaultDns}/'
var adminApiKeySecretName = 'admin-api-key'
var qrSigningKeySecretPrefix = 'qr-signing-key-'
var retainedKeyIds = filter(
  map(split(retainedQrSigningKeyIds, ','), kid => trim(kid)),
  kid => !empty(kid) && kid != qrSigningKeyId
)

// PublicBaseUrl without a trailing slash; its origin (scheme://host[:port]) is the CORS origin.
var trimmedPublicBaseUrl = endsWith(publicBaseUrl, '/')
  ? take(publicBaseUrl, max(0, length(publicBaseUrl) - 1))
  : publicBaseUrl
var effectivePublicBaseUrl = empty(trimmedPublicBaseUrl)
  ? 'https://${names.functionApp}.azurewebsites.net'
  : trimmedPublicBaseUrl
var publicBaseUrlParts = split(effectivePublicBaseUrl, '/')
var surveyOrigin = '${publicBaseUrlParts[0]}//${publicBaseUrlParts[2]}'

// ---------------------------------------------------------------------------------------------
// App settings: the deployment contract between this template and the app. Every setting the
// template sets is here, and the function app module applies this object unchanged.
//
// Not set on purpose:
// - FUNCTIONS_WORKER_RUNTIME / FUNCTIONS_EXTENSION_VERSION: deprecated on Flex Consumption; the
//   runtime comes from functionAppConfig.runtime (custom 1.0) in modules/function-app.bicep.
// - AzureWebJobsStorage (connection string): local development only; shared keys are disabled.
// ---------------------------------------------------------------------------------------------

var appSettings = {
  // Functions host and app storage, identity-based.
  AzureWebJobsStorage__accountName: storage.outputs.name
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identity.outputs.clientId
  // Lets DefaultAzureCredential in the app pick the user-assigned identity.
  AZURE_CLIENT_ID: identity.outputs.clientId

  // Application Insights with Microsoft Entra ID auth (local auth is disabled).
  APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.connectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.outputs.clientId};Authorization=AAD'

  // App configuration.
  PublicBaseUrl: effectivePublicBaseUrl
  Admin__ApiKey: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/${adminApiKeySecretName}/)'
  Tokens__ActiveKeyId: qrSigningKeyId
  'Tokens__Keys__${qrSigningKeyId}': '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/${qrSigningKeySecretPrefix}${qrSigningKeyId}/)'
  ...toObject(
    retainedKeyIds,
    kid => 'Tokens__Keys__${kid}',
    kid => '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/${qrSigningKeySecretPrefix}${kid}/)'
  )
  Scores__Schedule: scoresSchedule
  Devices__CheckSchedule: devicesCheckSchedule
  Retention__Days: string(retentionDays)
  Retention__ContactDays: string(retentionContactDays)
  Triggers__Standalone: 'false'
  Webhooks__AllowPrivateTargets: webhooksAllowPrivateTargets ? 'true' : 'false'
}

// ---------------------------------------------------------------------------------------------
// Resources
// ---------------------------------------------------------------------------------------------

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: names.resourceGroup
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: names.logAnalytics
    applicationInsightsName: names.applicationInsights
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: names.storageAccount
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    queueNames: queueNames
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: names.keyVault
    location: location
    tags: tags
    enablePurgeProtection: keyVaultPurgeProtection
    adminApiKey: adminApiKey
    adminApiKeySecretName: adminApiKeySecretName
    qrSigningKey: qrSigningKey
    qrSigningKeySecretName: '${qrSigningKeySecretPrefix}${qrSigningKeyId}'
  }
}

module roleAssignments 'modules/role-assignments.bicep' = {
  name: 'role-assignments'
  scope: rg
  params: {
    principalId: identity.outputs.principalId
    storageAccountName: storage.outputs.name
    keyVaultName: keyVault.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
  }
}

module functionApp 'modules/function-app.bicep' = {
  name: 'function-app'
  scope: rg
  params: {
    name: names.functionApp
    planName: names.plan
    location: location
    tags: tags
    serviceName: 'api'
    identityResourceId: identity.outputs.resourceId
    deploymentBlobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: deploymentContainerName
    runtimeName: 'custom'
    runtimeVersion: '1.0'
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    allowedOrigins: [
      surveyOrigin
    ]
    appSettings: appSettings
  }
  // The host reads storage, Key Vault references and Application Insights with the identity as
  // soon as the app starts, so its roles and secrets come first.
  dependsOn: [
    roleAssignments
    keyVault
  ]
}

// ---------------------------------------------------------------------------------------------
// Outputs (no secrets). azd stores them in the environment's .env file.
// ---------------------------------------------------------------------------------------------

@description('Region of the deployment.')
output AZURE_LOCATION string = location

@description('Tenant of the subscription.')
output AZURE_TENANT_ID string = tenant().tenantId

@description('Resource group holding every resource.')
output AZURE_RESOURCE_GROUP string = rg.name

@description('Name of the function app (azd service "api").')
output SERVICE_API_NAME string = functionApp.outputs.name

@description('URL of the function app.')
output SERVICE_API_URI string = 'https://${functionApp.outputs.defaultHostName}'

@description('Name of the function app.')
output FUNCTION_APP_NAME string = functionApp.outputs.name

@description('URL of the function app.')
output FUNCTION_APP_URL string = 'https://${functionApp.outputs.defaultHostName}'

@description('Public base URL the app uses in QR codes and links.')
output PUBLIC_BASE_URL string = effectivePublicBaseUrl

@description('Storage account used by the host and the app.')
output STORAGE_ACCOUNT_NAME string = storage.outputs.name

@description('Key Vault holding the admin key and the QR signing keys.')
output KEY_VAULT_NAME string = keyVault.outputs.name

@description('Client ID of the function app\'s user-assigned identity.')
output MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
