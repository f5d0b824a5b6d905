// Flex Consumption plan (FC1, Linux) and the function app that runs Feedback as a
// custom handler. App settings are passed in whole from main.bicep (variable appSettings)
// and applied unchanged.

@description('Name of the function app; also its default host name <name>.azurewebsites.net.')
param name string

@description('Name of the Flex Consumption plan.')
param planName string

@description('Azure region of the plan and the app.')
param location string

@description('Tags applied to the plan and the app.')
param tags object = {}

@description('azd service name; azd finds the app to deploy to by the tag azd-service-name.')
param serviceName string = 'api'

@description('Resource ID of the user-assigned identity the app runs as.')
param identityResourceId string

@description('Blob endpoint of the storage account holding the deployment container.')
param deploymentBlobEndpoint string

@description('Name of the blob container holding the deployment package.')
param deploymentContainerName string

@description('functionAppConfig.runtime.name: "custom" runs the self-contained handler named in host.json.')
param runtimeName string = 'custom'

@description('functionAppConfig.runtime.version for the runtime above.')
param runtimeVersion string = '1.0'

@description('Memory of each instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Upper bound on the number of instances the app scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Origins allowed by the platform CORS handler (scheme://host[:port], no trailing slash).')
param allowedOrigins array = []

@description('App settings, applied as they are.')
param appSettings object

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true // Linux
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityResourceId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references are resolved with the user-assigned identity, not a system one.
    keyVaultReferenceIdentity: identityResourceId
    siteConfig: {
      minTlsVersion: '1.2'
      // The platform answers CORS preflight requests before they reach the handler.
      cors: {
        allowedOrigins: allowedOrigins
        supportCredentials: false
      }
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${deploymentBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityResourceId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: runtimeName
        version: runtimeVersion
      }
    }
  }

  resource settings 'config' = {
    name: 'appsettings'
    properties: appSettings
  }
}

@description('Name of the function app.')
output name string = functionApp.name

@description('Default host name of the function app.')
output defaultHostName string = functionApp.properties.defaultHostName
