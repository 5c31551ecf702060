namespace StartFrame.Deployment.Tests;

/// <summary>The function app as deployed: Flex Consumption, .NET 10 isolated, its package read with its identity.</summary>
public sealed class FunctionAppRunsOnFlex
{
    private static CompiledInfra Infra => CompiledInfra.Instance;

    [Fact]
    public void The_plan_is_Flex_Consumption_on_Linux()
    {
        var plan = Infra.Single("Microsoft.Web/serverfarms");

        Assert.Equal("FC1", ArmValues.At(plan, "sku.name").GetString());
        Assert.Equal("FlexConsumption", ArmValues.At(plan, "sku.tier").GetString());
        Assert.True(ArmValues.At(plan, "properties.reserved").GetBoolean());
        Assert.Equal(ArmValues.Id(plan), ArmValues.At(Infra.Single("Microsoft.Web/sites"), "properties.serverFarmId").GetString());
    }

    [Fact]
    public void The_runtime_is_dotnet_isolated_10_0()
    {
        var site = Infra.Single("Microsoft.Web/sites");

        Assert.Equal("functionapp,linux", site.GetProperty("kind").GetString());
        Assert.Equal("dotnet-isolated", ArmValues.At(site, "properties.functionAppConfig.runtime.name").GetString());
        Assert.Equal("10.0", ArmValues.At(site, "properties.functionAppConfig.runtime.version").GetString());
    }

    [Fact]
    public void Scale_is_bounded_with_a_memory_size_Flex_offers()
    {
        var scale = ArmValues.At(Infra.Single("Microsoft.Web/sites"), "properties.functionAppConfig.scaleAndConcurrency");

        Assert.Equal(100, scale.GetProperty("maximumInstanceCount").GetInt32());
        Assert.Equal(2048, scale.GetProperty("instanceMemoryMB").GetInt32());
    }

    [Fact]
    public void The_package_is_deployed_from_its_container_with_the_user_assigned_identity()
    {
        var storage = ArmValues.At(Infra.Single("Microsoft.Web/sites"), "properties.functionAppConfig.deployment.storage");
        var identity = ArmValues.Id(Infra.Single("Microsoft.ManagedIdentity/userAssignedIdentities"));
        var account = ArmValues.Id(Infra.Single("Microsoft.Storage/storageAccounts"));
        var appPackage = Infra.OfType("Microsoft.Storage/storageAccounts/blobServices/containers")
            .Select(c => c.GetProperty("name").GetString()!.Split('/')[^1])
            .Single(n => n.StartsWith("app-package-", StringComparison.Ordinal));

        Assert.Equal("blobContainer", storage.GetProperty("type").GetString());
        Assert.Matches($@"^\[format\('\{{0\}}\{{1\}}', reference\('{System.Text.RegularExpressions.Regex.Escape(account)}', '[^']+'\)\.primaryEndpoints\.blob, '{appPackage}'\)\]$", storage.GetProperty("value").GetString());
        Assert.Equal("UserAssignedIdentity", storage.GetProperty("authentication").GetProperty("type").GetString());
        Assert.Equal(identity, storage.GetProperty("authentication").GetProperty("userAssignedIdentityResourceId").GetString());
    }

    [Fact]
    public void Telemetry_is_Entra_only_into_Log_Analytics_and_the_key_vault_uses_RBAC()
    {
        var appInsights = Infra.Single("Microsoft.Insights/components");

        Assert.True(ArmValues.At(appInsights, "properties.DisableLocalAuth").GetBoolean());
        Assert.Equal(ArmValues.Id(Infra.Single("Microsoft.OperationalInsights/workspaces")), ArmValues.At(appInsights, "properties.WorkspaceResourceId").GetString());
        Assert.True(ArmValues.At(Infra.Single("Microsoft.KeyVault/vaults"), "properties.enableRbacAuthorization").GetBoolean());
    }
}
