namespace StartFrame.Deployment.Tests;

/// <summary>
/// Every role assignment the deployment makes: which built-in role, to whom, on what. The set is pinned whole, so a
/// wrong role id, a broader scope, another principal or an extra assignment fails here.
/// </summary>
public sealed class RolesAreNarrow
{
    // Built-in role definition ids (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles).
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageBlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    private const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";
    private const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";

    private static readonly Dictionary<string, string> RoleNames = new(StringComparer.Ordinal)
    {
        [StorageBlobDataOwner] = "Storage Blob Data Owner",
        [StorageBlobDataContributor] = "Storage Blob Data Contributor",
        [StorageQueueDataContributor] = "Storage Queue Data Contributor",
        [StorageTableDataContributor] = "Storage Table Data Contributor",
        [MonitoringMetricsPublisher] = "Monitoring Metrics Publisher",
        [KeyVaultSecretsUser] = "Key Vault Secrets User",
    };

    private static CompiledInfra Infra => CompiledInfra.Instance;

    [Fact]
    public void Each_principal_holds_exactly_its_roles_at_the_narrowest_scope_that_works()
    {
        var app = $"{ArmValues.Id(Infra.Single("Microsoft.ManagedIdentity/userAssignedIdentities"))}.principalId";
        var topic = $"{ArmValues.Id(Infra.Single("Microsoft.EventGrid/systemTopics"))}.identity.principalId";
        var developer = CompiledInfra.DeveloperPrincipalId;
        var account = ArmValues.Id(Infra.Single("Microsoft.Storage/storageAccounts"));
        var deadLetters = $"{account}/blobServices/default/containers/{StartFrame.Core.StartFrameOptions.DeadLetterContainer}";
        var appInsights = ArmValues.Id(Infra.Single("Microsoft.Insights/components"));
        var apiKeySecret = ArmValues.Id(Infra.Single("Microsoft.KeyVault/vaults/secrets"));

        string[] expected =
        [
            // The user-delegation key behind the SAS URL can only be granted on the account; queues and the table
            // are created on first use by the host and the core, which needs the account too.
            Describe(StorageBlobDataOwner, app, account),
            Describe(StorageQueueDataContributor, app, account),
            Describe(StorageTableDataContributor, app, account),
            Describe(MonitoringMetricsPublisher, app, appInsights),
            Describe(KeyVaultSecretsUser, app, apiKeySecret),
            // Event Grid writes undeliverable events to the dead-letter container and nowhere else.
            Describe(StorageBlobDataContributor, topic, deadLetters),
            // The optional developer principal (set in this snapshot): data access for the CLI, no Owner.
            Describe(StorageBlobDataContributor, developer, account),
            Describe(StorageQueueDataContributor, developer, account),
            Describe(StorageTableDataContributor, developer, account),
        ];

        var actual = Infra.OfType("Microsoft.Authorization/roleAssignments")
            .Select(r => Describe(ArmValues.RoleOf(r), ArmValues.ReferenceOf(ArmValues.At(r, "properties.principalId").GetString()!), ArmValues.ScopeOf(r)))
            .ToList();

        var missing = expected.Except(actual, StringComparer.Ordinal).ToList();
        var unexpected = actual.Except(expected, StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0 && unexpected.Count == 0 && actual.Count == expected.Length,
            $"Role assignments differ from the pinned set.{Environment.NewLine}Missing:{Environment.NewLine}  {string.Join($"{Environment.NewLine}  ", missing)}"
            + $"{Environment.NewLine}Not expected:{Environment.NewLine}  {string.Join($"{Environment.NewLine}  ", unexpected)}");
    }

    [Fact]
    public void Managed_identities_are_assigned_as_service_principals()
    {
        var ofIdentities = Infra.OfType("Microsoft.Authorization/roleAssignments")
            .Where(r => ArmValues.At(r, "properties.principalId").GetString()!.StartsWith("[reference(", StringComparison.Ordinal))
            .ToList();

        Assert.Equal(6, ofIdentities.Count);
        // Without principalType a new identity's assignment can fail while Entra replicates it.
        Assert.All(ofIdentities, r => Assert.Equal("ServicePrincipal", ArmValues.At(r, "properties.principalType").GetString()));
    }

    [Fact]
    public void The_function_app_runs_as_the_user_assigned_identity_only()
    {
        var site = Infra.Single("Microsoft.Web/sites");
        var identity = ArmValues.Id(Infra.Single("Microsoft.ManagedIdentity/userAssignedIdentities"));

        Assert.Equal("UserAssigned", ArmValues.At(site, "identity.type").GetString());
        Assert.Equal([identity], ArmValues.At(site, "identity.userAssignedIdentities").EnumerateObject().Select(p => p.Name));
        Assert.Equal(identity, ArmValues.At(site, "properties.keyVaultReferenceIdentity").GetString());
    }

    private static string Describe(string role, string principal, string scope) =>
        $"{(RoleNames.TryGetValue(role, out var name) ? name : $"unknown role {role}")} for {principal} on {scope}";
}
