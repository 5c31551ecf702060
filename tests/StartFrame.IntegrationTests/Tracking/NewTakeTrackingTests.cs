using Microsoft.Extensions.DependencyInjection;
using StartFrame.Core.Redrives;
using StartFrame.Core.Tracking;
using StartFrame.Core.WaysIn;
using StartFrame.IntegrationTests.Infrastructure;

namespace StartFrame.IntegrationTests.Tracking;

/// <summary>A deliberate new take (<c>redrive --again</c>) while the first take is still generating: both paid videos land.</summary>
[Collection(StorageCollection.Name)]
public sealed class NewTakeTrackingTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_new_take_started_before_the_first_finished_leaves_both_videos_and_both_completion_records()
    {
        var clock = TrackingHarness.Clock();
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock);
        var firstTask = await harness.SubmitPairAsync("retake/cat");
        var image = harness.Uploads.GetBlobClient("retake/cat.png");

        // The first take is still generating when the operator asks for a second one.
        var redriver = harness.Services.GetRequiredService<BlobRedriver>();
        var plan = await redriver.PlanAsync(image, force: false, again: true, CancellationToken.None);
        var second = await redriver.RunAsync(image, plan, null, CancellationToken.None);
        clock.Advance(TrackingHarness.Generation);
        var outcomes = await harness.Tracking.RunUntilIdleAsync();

        Assert.Equal(OutcomeStatus.Submitted, second.Status);
        Assert.NotEqual(firstTask, second.TaskId);
        Assert.Equal(2, outcomes.Count(o => o.Status == TrackingOutcomeStatus.Succeeded));
        Assert.DoesNotContain(outcomes, o => o.Status == TrackingOutcomeStatus.Dropped);
        Assert.Equal(
            new[] { firstTask, second.TaskId! }.Order(StringComparer.Ordinal),
            (await harness.CompletionRecordsAsync()).Select(r => r["taskId"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal(2, (await harness.VideoBlobsAsync()).Count);
    }
}
