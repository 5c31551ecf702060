using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using StartFrame.Core;
using StartFrame.Core.Redrives;
using StartFrame.Core.Submitting;
using StartFrame.Core.WaysIn;
using StartFrame.IntegrationTests.Infrastructure;

namespace StartFrame.IntegrationTests;

/// <summary>
/// A queue outage after ModelStream took the task leaves the record owed in the ledger. A redelivery writes most of them;
/// the sweep (OwedRecordsDue, <c>redrive --owed</c>) writes the ones no redelivery comes for — an HTTP submission
/// without an idempotency key — and no caller is ever told "unavailable" for a video that was started.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class OwedRecordSweepTests(AzuriteFixture azurite)
{
    private const string KeylessBody = """{"blob": "start-frames/owed/cat.png", "prompt": "a cat", "duration": 5}""";

    private static async Task<(PipelineHarness Harness, IVideoApi Api, IOwedRecordSweeper Sweeper)> StartAsync(AzuriteFixture azurite)
    {
        // A fake clock only so that tracking messages (sent with their first poll's delay) can be peeked at once.
        var harness = await PipelineHarness.StartAsync(azurite.Server, clock: new FakeTimeProvider(DateTimeOffset.UtcNow));
        await harness.UploadImageAsync("owed/cat.png", TestImages.Png(640, 360));
        return (harness, harness.Services.GetRequiredService<IVideoApi>(), harness.Services.GetRequiredService<IOwedRecordSweeper>());
    }

    [Fact]
    public async Task Keyless_HTTP_submission_during_a_task_queue_outage_answers_202_and_the_sweep_writes_its_record_once()
    {
        var (harness, api, sweeper) = await StartAsync(azurite);
        await using var _ = harness;
        harness.StorageFaults.FailWhen(m => m.Request.Uri.Path.EndsWith("/video-tasks/messages", StringComparison.Ordinal));

        var response = await HttpCall.RunAsync(api.SubmitAsync(HttpCall.Post(KeylessBody), CancellationToken.None));

        // Before: 503 with Retry-After, and a client without a key retried into a second, paid video.
        Assert.Equal(202, response.Status);
        var taskId = response.Json["taskId"]!.GetValue<string>();
        Assert.Empty(await PipelineHarness.PeekAllAsync(harness.Tasks));

        var stillDown = await sweeper.SweepAsync(TimeSpan.Zero, dryRun: false, CancellationToken.None);
        Assert.Equal(OwedSweepOutcomes.StillOwed, Assert.Single(stillDown).Outcome);
        Assert.Empty(await PipelineHarness.PeekAllAsync(harness.Tasks));

        harness.StorageFaults.Heal();
        var young = await sweeper.SweepAsync(OwedRecordSweeper.DefaultGrace, dryRun: false, CancellationToken.None);
        var dry = await sweeper.SweepAsync(TimeSpan.Zero, dryRun: true, CancellationToken.None);
        Assert.Equal(OwedSweepOutcomes.Waiting, Assert.Single(young).Outcome); // left to a redelivery for 2 minutes
        Assert.Equal(OwedSweepOutcomes.WouldWrite, Assert.Single(dry).Outcome);
        Assert.Empty(await PipelineHarness.PeekAllAsync(harness.Tasks));

        var swept = Assert.Single(await sweeper.SweepAsync(TimeSpan.Zero, dryRun: false, CancellationToken.None));
        var again = await sweeper.SweepAsync(TimeSpan.Zero, dryRun: false, CancellationToken.None);

        Assert.Equal(OwedSweepOutcomes.Written, swept.Outcome);
        Assert.Equal(taskId, swept.TaskId);
        Assert.Equal(StartFrameOptions.TasksQueue, swept.Queue);
        Assert.Empty(again);
        var record = Assert.Single(await PipelineHarness.PeekAllAsync(harness.Tasks));
        Assert.Equal(taskId, record["taskId"]!.GetValue<string>());
        Assert.Equal(taskId, Assert.Single(await PipelineHarness.PeekAllAsync(harness.TrackingQueue))["taskId"]!.GetValue<string>());
        Assert.Equal(1, harness.Simulator.PostCount);
        var status = await HttpCall.RunAsync(api.GetAsync(taskId, CancellationToken.None));
        Assert.Equal("recorded", status.Json["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task Keyless_submission_whose_first_tracking_message_is_owed_is_followed_after_the_sweep()
    {
        var (harness, api, sweeper) = await StartAsync(azurite);
        await using var _ = harness;
        harness.StorageFaults.FailWhen(m => m.Request.Uri.Path.EndsWith("/video-tracking/messages", StringComparison.Ordinal));

        var response = await HttpCall.RunAsync(api.SubmitAsync(HttpCall.Post(KeylessBody), CancellationToken.None));
        harness.StorageFaults.Heal();
        var swept = Assert.Single(await sweeper.SweepAsync(TimeSpan.Zero, dryRun: false, CancellationToken.None));

        Assert.Equal(202, response.Status);
        Assert.Single(await PipelineHarness.PeekAllAsync(harness.Tasks)); // the record went out; only the first poll was owed
        Assert.Equal(StartFrameOptions.TrackingQueue, swept.Queue);
        Assert.Equal(OwedSweepOutcomes.Written, swept.Outcome);
        Assert.Equal(response.Json["taskId"]!.GetValue<string>(), Assert.Single(await PipelineHarness.PeekAllAsync(harness.TrackingQueue))["taskId"]!.GetValue<string>());
        Assert.Equal(1, harness.Simulator.PostCount);
    }

    [Fact]
    public async Task Keyless_ambiguous_submission_during_a_failure_queue_outage_answers_ambiguous_not_unavailable()
    {
        var (harness, api, sweeper) = await StartAsync(azurite);
        await using var _ = harness;
        harness.Simulator.AddFaults(new ModelStream.Simulator.SimulatedFault { Status = 500 });
        harness.StorageFaults.FailWhen(m => m.Request.Uri.Path.EndsWith("/video-task-failures/messages", StringComparison.Ordinal));

        var response = await HttpCall.RunAsync(api.SubmitAsync(HttpCall.Post(KeylessBody), CancellationToken.None));
        harness.StorageFaults.Heal();
        var swept = Assert.Single(await sweeper.SweepAsync(TimeSpan.Zero, dryRun: false, CancellationToken.None));

        Assert.Equal(502, response.Status); // ambiguous: a retry could charge twice, so the caller is not invited to retry
        Assert.Equal(StartFrameOptions.FailuresQueue, swept.Queue);
        var failure = Assert.Single(await PipelineHarness.PeekAllAsync(harness.Failures));
        Assert.True(failure["ambiguous"]!.GetValue<bool>());
        Assert.Equal(1, harness.Simulator.PostCount);
    }

    [Fact]
    public async Task A_debt_a_redelivery_settled_is_crossed_out_without_a_second_record()
    {
        var (harness, _, sweeper) = await StartAsync(azurite);
        await using var __ = harness;
        await harness.UploadSidecarAsync("owed/pair.json", Sidecars.Valid);
        var image = await harness.UploadImageAsync("owed/pair.png", TestImages.Png(640, 360));
        harness.StorageFaults.FailWhen(m => m.Request.Uri.Path.EndsWith("/video-tasks/messages", StringComparison.Ordinal));
        await Assert.ThrowsAsync<TransientSubmissionException>(() => harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None));
        harness.StorageFaults.Heal();
        await harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None); // the blob trigger's retry

        var swept = Assert.Single(await sweeper.SweepAsync(TimeSpan.Zero, dryRun: false, CancellationToken.None));

        Assert.Equal(OwedSweepOutcomes.Settled, swept.Outcome);
        Assert.Single(await PipelineHarness.PeekAllAsync(harness.Tasks));
        Assert.Single(await PipelineHarness.PeekAllAsync(harness.TrackingQueue));
        Assert.Empty(await sweeper.SweepAsync(TimeSpan.Zero, dryRun: false, CancellationToken.None));
        Assert.Equal(1, harness.Simulator.PostCount);
    }
}
