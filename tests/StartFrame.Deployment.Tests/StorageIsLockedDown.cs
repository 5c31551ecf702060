using System.ComponentModel.DataAnnotations;
using System.Globalization;
using StartFrame.Core;

namespace StartFrame.Deployment.Tests;

/// <summary>The storage account as deployed: keyless, TLS 1.2, nothing public, and versioned start frames kept as long as a SAS may name them.</summary>
public sealed class StorageIsLockedDown
{
    private static CompiledInfra Infra => CompiledInfra.Instance;

    [Fact]
    public void The_account_takes_TLS_1_2_no_public_blob_access_and_no_shared_keys()
    {
        var account = Infra.Single("Microsoft.Storage/storageAccounts");

        Assert.Equal("TLS1_2", ArmValues.At(account, "properties.minimumTlsVersion").GetString());
        Assert.False(ArmValues.At(account, "properties.allowBlobPublicAccess").GetBoolean());
        Assert.False(ArmValues.At(account, "properties.allowSharedKeyAccess").GetBoolean());
        Assert.True(ArmValues.At(account, "properties.supportsHttpsTrafficOnly").GetBoolean());
    }

    [Fact]
    public void No_container_is_public()
    {
        Assert.All(Infra.OfType("Microsoft.Storage/storageAccounts/blobServices/containers"),
            c => Assert.Equal("None", ArmValues.At(c, "properties.publicAccess").GetString()));
    }

    [Fact]
    public void Blob_versioning_is_on_so_a_SAS_can_name_the_validated_version()
    {
        Assert.True(ArmValues.At(Infra.Single("Microsoft.Storage/storageAccounts/blobServices"), "properties.isVersioningEnabled").GetBoolean());
    }

    [Fact]
    public void Previous_versions_and_snapshots_of_start_frames_are_deleted_only_after_the_longest_SAS_lifetime()
    {
        var longestSas = TimeSpan.Parse((string)typeof(StartFrameOptions).GetProperty(nameof(StartFrameOptions.SasLifetime))!
            .GetCustomAttributes(typeof(RangeAttribute), inherit: false).Cast<RangeAttribute>().Single().Maximum, CultureInfo.InvariantCulture);
        var policy = Infra.Single("Microsoft.Storage/storageAccounts/managementPolicies");
        var rule = Assert.Single(ArmValues.At(policy, "properties.policy.rules").EnumerateArray());

        Assert.True(rule.GetProperty("enabled").GetBoolean());
        Assert.Equal([$"{StartFrameOptions.UploadsContainer}/"], rule.GetProperty("definition").GetProperty("filters").GetProperty("prefixMatch").EnumerateArray().Select(p => p.GetString()));
        var actions = rule.GetProperty("definition").GetProperty("actions");
        Assert.False(actions.TryGetProperty("baseBlob", out _), "The rule must never delete current start frames, only previous versions and snapshots.");
        foreach (var kind in new[] { "version", "snapshot" })
        {
            var days = actions.GetProperty(kind).GetProperty("delete").GetProperty("daysAfterCreationGreaterThan").GetInt32();
            Assert.True(TimeSpan.FromDays(days) >= longestSas, $"{kind}s are deleted after {days} days, sooner than a SAS URL may live ({longestSas.TotalDays} days).");
            Assert.Equal(7, days);
        }
    }
}
