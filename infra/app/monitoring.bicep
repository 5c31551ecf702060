// Telemetry: a Log Analytics workspace and the Application Insights component the host and worker send to. Local
// (key) authentication is off: ingestion is Entra-authenticated with the app's identity
// (APPLICATIONINSIGHTS_AUTHENTICATION_STRING, and Monitoring Metrics Publisher in identity.bicep).

param logAnalyticsName string
param appInsightsName string
param location string
param tags object

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
    DisableLocalAuth: true
  }
}

output appInsightsName string = appInsights.name
