using StartFrame.Core.Ledger;
using StartFrame.Core.WaysIn;
using StartFrame.IntegrationTests.Infrastructure;

namespace StartFrame.IntegrationTests;

/// <summary>A claim left by a crashed run is taken over after the lease, under the ambiguity rule.</summary>
[Collection(StorageCollection.Name)]
public sealed class ClaimTakeoverTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData("Never", -60, OutcomeStatus.Ambiguous, 0)]
    [InlineData("Resubmit", -60, OutcomeStatus.Submitted, 1)]
    [InlineData("Never", 0, OutcomeStatus.InProgress, 0)]
    public async Task A_left_claim_is_respected_within_its_lease_and_follows_the_ambiguity_rule_after(
        string ambiguousRetry, int claimedMinutesAgo, string expected, int posts)
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server, new Dictionary<string, string?>
        {
            ["StartFrame:AmbiguousRetry"] = ambiguousRetry,
            ["StartFrame:ClaimLease"] = "00:10:00",
            ["StartFrame:LiveClaimWait"] = "00:00:01", // the crashed run never settles its claim: watch it briefly
        });
        await harness.UploadSidecarAsync("crash.json", Sidecars.Valid);
        var image = await harness.UploadImageAsync("crash.png", TestImages.Png(640, 360));
        var key = await harness.LedgerKeyOfAsync(image);
        await harness.Ledger.AddEntityAsync(new LedgerEntry
        {
            PartitionKey = key.PartitionKey,
            RowKey = key.RowKey,
            State = LedgerStates.Claimed,
            ClaimId = "crashed-run",
            ClaimedAt = DateTimeOffset.UtcNow.AddMinutes(claimedMinutesAgo),
        });

        var outcome = await harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None);

        Assert.Equal(expected, outcome.Status);
        Assert.Equal(posts, harness.Simulator.PostCount);
        if (expected == OutcomeStatus.Ambiguous)
        {
            var failure = Assert.Single(await PipelineHarness.PeekAllAsync(harness.Failures));
            Assert.Equal("claim_expired", failure["errors"]![0]!["code"]!.GetValue<string>());
            Assert.True(failure["ambiguous"]!.GetValue<bool>());
            Assert.False(failure["retryable"]!.GetValue<bool>());
            Assert.Empty(await RecordSchemas.FailureRecordErrorsAsync(failure.ToJsonString()));
        }
    }
}
