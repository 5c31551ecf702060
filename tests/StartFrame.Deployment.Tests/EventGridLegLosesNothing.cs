namespace StartFrame.Deployment.Tests;

/// <summary>
/// The Event Grid leg: the system topic (Bicep) and the subscription the postdeploy hooks make filter on the uploads
/// container, retry, and dead-letter with the topic's identity into the container the Bicep creates.
/// </summary>
public sealed class EventGridLegLosesNothing
{
    [Fact]
    public void The_system_topic_carries_the_accounts_events_and_has_its_own_identity_for_dead_lettering()
    {
        var topic = CompiledInfra.Instance.Single("Microsoft.EventGrid/systemTopics");

        Assert.Equal("Microsoft.Storage.StorageAccounts", ArmValues.At(topic, "properties.topicType").GetString());
        Assert.Equal(ArmValues.Id(CompiledInfra.Instance.Single("Microsoft.Storage/storageAccounts")), ArmValues.At(topic, "properties.source").GetString());
        Assert.Equal("SystemAssigned", ArmValues.At(topic, "identity.type").GetString());
        Assert.Equal(ArmValues.At(topic, "name").GetString(), CompiledInfra.Instance.Output("EVENT_GRID_SYSTEM_TOPIC_NAME"));
    }

    [Theory]
    [InlineData(Hooks.Bash, "--included-event-types Microsoft.Storage.BlobCreated", "subject_prefix=\"/blobServices/default/containers/$UPLOADS_CONTAINER_NAME/\"")]
    [InlineData(Hooks.PowerShell, "includedEventTypes = @('Microsoft.Storage.BlobCreated')", "$subjectPrefix = \"/blobServices/default/containers/$($env:UPLOADS_CONTAINER_NAME)/\"")]
    public void The_subscription_takes_only_BlobCreated_events_of_the_uploads_container(string hook, string eventType, string subjectPrefix)
    {
        var text = RepoFiles.Text(hook);

        Assert.Contains(eventType, text, StringComparison.Ordinal);
        Assert.Contains(subjectPrefix, text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Hooks.Bash, "--max-delivery-attempts 30", "--event-ttl 1440")]
    [InlineData(Hooks.PowerShell, "maxDeliveryAttempts      = 30", "eventTimeToLiveInMinutes = 1440")]
    public void The_subscription_retries_for_24_hours(string hook, string attempts, string timeToLive)
    {
        var text = RepoFiles.Text(hook);

        Assert.Contains(attempts, text, StringComparison.Ordinal);
        Assert.Contains(timeToLive, text, StringComparison.Ordinal);
    }

    [Fact]
    public void Both_hooks_dead_letter_with_the_topics_identity_into_the_dead_letter_container()
    {
        var bash = RepoFiles.Text(Hooks.Bash);
        var powerShell = RepoFiles.Text(Hooks.PowerShell);

        Assert.Contains("--deadletter-identity systemassigned", bash, StringComparison.Ordinal);
        Assert.Contains("--deadletter-identity-endpoint \"$dead_letter_container\"", bash, StringComparison.Ordinal);
        Assert.Contains("dead_letter_container=\"$AZURE_STORAGE_ACCOUNT_ID/blobServices/default/containers/$DEAD_LETTER_CONTAINER_NAME\"", bash, StringComparison.Ordinal);
        // The key-based destination would need the account keys, which are disabled.
        Assert.DoesNotContain("--deadletter-endpoint", bash, StringComparison.Ordinal);

        Assert.Contains("deadLetterWithResourceIdentity", powerShell, StringComparison.Ordinal);
        Assert.Contains("identity              = @{ type = 'SystemAssigned' }", powerShell, StringComparison.Ordinal);
        Assert.Contains("endpointType = 'StorageBlob'", powerShell, StringComparison.Ordinal);
        Assert.Contains("resourceId        = $env:AZURE_STORAGE_ACCOUNT_ID", powerShell, StringComparison.Ordinal);
        Assert.Contains("blobContainerName = $env:DEAD_LETTER_CONTAINER_NAME", powerShell, StringComparison.Ordinal);
    }
}
