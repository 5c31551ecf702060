using ModelStream.Simulator;
using StartFrame.Core.Submitting;
using StartFrame.Core.WaysIn;
using StartFrame.IntegrationTests.Infrastructure;

namespace StartFrame.IntegrationTests;

/// <summary>Exactly one submission per (blob, ETag), however often and however concurrently the trigger fires.</summary>
[Collection(StorageCollection.Name)]
public sealed class ExactlyOnceTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Eight_concurrent_deliveries_of_one_image_submit_once_and_record_once()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        await harness.UploadSidecarAsync("burst.json", Sidecars.Valid);
        var image = await harness.UploadImageAsync("burst.png", TestImages.Png(640, 360));
        harness.Simulator.AddFaults(new SimulatedFault { DelayMs = 300 }); // widen the race window

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None)));

        Assert.Equal(1, harness.Simulator.PostCount);
        Assert.Single(await PipelineHarness.PeekAllAsync(harness.Tasks));
        Assert.Single(outcomes, o => o.Status == OutcomeStatus.Submitted);
        Assert.All(outcomes, o => Assert.Contains(o.Status, new[] { OutcomeStatus.Submitted, OutcomeStatus.InProgress, OutcomeStatus.AlreadySubmitted }));
    }

    [Fact]
    public async Task Eight_concurrent_deliveries_alternating_image_and_sidecar_submit_once()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var sidecar = await harness.UploadSidecarAsync("alt/cat.json", Sidecars.Valid);
        var image = await harness.UploadImageAsync("alt/cat.png", TestImages.Png(640, 360));
        harness.Simulator.AddFaults(new SimulatedFault { DelayMs = 300 });

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => harness.Processor.ProcessBlobAsync(i % 2 == 0 ? image : sidecar, null, CancellationToken.None)));

        Assert.Equal(1, harness.Simulator.PostCount);
        Assert.Single(await PipelineHarness.PeekAllAsync(harness.Tasks));
        Assert.Equal("recorded", (await harness.LedgerEntryOfAsync(image))!.State);
        Assert.DoesNotContain(outcomes, o => o.Status == OutcomeStatus.InProgress); // the losers watched the winner settle
        Assert.Equal(0, await QueuedRechecksAsync());
    }

    [Fact]
    public async Task An_image_and_its_sidecar_arriving_together_read_as_normal_and_queue_no_recheck()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var sidecar = await harness.UploadSidecarAsync("pair/cat.json", Sidecars.Valid);
        var image = await harness.UploadImageAsync("pair/cat.png", TestImages.Png(640, 360));
        harness.Simulator.AddFaults(new SimulatedFault { DelayMs = 1_500 }); // the image's run is mid-POST when the sidecar's arrives

        var imageRun = harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None);
        using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            while (harness.Simulator.PostCount == 0)
            {
                await Task.Delay(10, deadline.Token);
            }
        }

        var sidecarOutcome = await harness.Processor.ProcessBlobAsync(sidecar, null, CancellationToken.None);
        var imageOutcome = await imageRun;

        Assert.Equal(OutcomeStatus.Submitted, imageOutcome.Status);
        Assert.Equal(OutcomeStatus.AlreadySubmitted, sidecarOutcome.Status);
        Assert.Equal(imageOutcome.TaskId, sidecarOutcome.TaskId);
        Assert.Contains("other event", sidecarOutcome.Detail, StringComparison.Ordinal);
        Assert.Equal(1, harness.Simulator.PostCount);
        Assert.Equal(0, await QueuedRechecksAsync());
    }

    [Fact]
    public async Task When_the_other_events_run_gives_its_claim_back_the_watcher_does_not_post_again_at_once()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server, new Dictionary<string, string?> { ["ModelStream:MaxRetries"] = "0" });
        var sidecar = await harness.UploadSidecarAsync("busy/cat.json", Sidecars.Valid);
        var image = await harness.UploadImageAsync("busy/cat.png", TestImages.Png(640, 360));
        harness.Simulator.AddFaults(new SimulatedFault { Status = 503, RetryAfter = 30, DelayMs = 1_000 }); // the image's run: unavailable, after a second

        var imageRun = harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None);
        using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            while (harness.Simulator.PostCount == 0)
            {
                await Task.Delay(10, deadline.Token);
            }
        }

        var sidecarOutcome = await harness.Processor.ProcessBlobAsync(sidecar, null, CancellationToken.None);
        await Assert.ThrowsAsync<TransientSubmissionException>(() => imageRun); // its platform delivers it again

        Assert.Equal(OutcomeStatus.InProgress, sidecarOutcome.Status);
        Assert.Contains("gave its claim back", sidecarOutcome.Detail, StringComparison.Ordinal);
        Assert.Equal(1, harness.Simulator.PostCount); // the watcher did not POST into ModelStream's "later"
        Assert.Equal(0, await QueuedRechecksAsync());
        Assert.Equal("released", (await harness.LedgerEntryOfAsync(image))!.State);
    }

    private async Task<int> QueuedRechecksAsync()
    {
        var rechecks = new Azure.Storage.Queues.QueueClient(azurite.Server.ConnectionString, "upload-rechecks");
        return (await rechecks.ExistsAsync()).Value ? (await rechecks.GetPropertiesAsync()).Value.ApproximateMessagesCount : 0;
    }

    [Fact]
    public async Task A_repeated_delivery_after_success_sends_nothing_and_reports_the_task()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        await harness.UploadSidecarAsync("again.json", Sidecars.Valid);
        var image = await harness.UploadImageAsync("again.png", TestImages.Png(640, 360));
        var first = await harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None);

        var second = await harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None);

        Assert.Equal(OutcomeStatus.AlreadySubmitted, second.Status);
        Assert.Equal(first.TaskId, second.TaskId);
        Assert.Equal(1, harness.Simulator.PostCount);
    }

    [Fact]
    public async Task Re_upload_with_new_content_is_a_new_submission()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        await harness.UploadSidecarAsync("redo.json", Sidecars.Valid);
        var image = await harness.UploadImageAsync("redo.png", TestImages.Png(640, 360));
        await harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None);

        await harness.UploadImageAsync("redo.png", TestImages.Png(360, 640));
        var again = await harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None);

        Assert.Equal(OutcomeStatus.Submitted, again.Status);
        Assert.Equal(2, harness.Simulator.PostCount);
        var records = await PipelineHarness.PeekAllAsync(harness.Tasks);
        Assert.Equal(2, records.Select(r => r["source"]!["etag"]!.GetValue<string>()).Distinct().Count());
    }
}
