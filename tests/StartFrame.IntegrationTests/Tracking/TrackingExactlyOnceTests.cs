using StartFrame.Core.Records;
using StartFrame.Core.Submitting;
using StartFrame.Core.Tracking;
using StartFrame.Core.WaysIn;
using StartFrame.IntegrationTests.Infrastructure;

namespace StartFrame.IntegrationTests.Tracking;

/// <summary>One video blob and one completion record per task, whatever the queue or a crash does.</summary>
[Collection(StorageCollection.Name)]
public sealed class TrackingExactlyOnceTests(AzuriteFixture azurite)
{
    private static bool CompletionsPost(Azure.Core.HttpMessage m) =>
        m.Request.Method == Azure.Core.RequestMethod.Post && m.Request.Uri.Path.EndsWith("/video-completions/messages", StringComparison.Ordinal);

    [Fact]
    public async Task Duplicate_tracking_deliveries_change_nothing()
    {
        var clock = TrackingHarness.Clock();
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock);
        await harness.SubmitPairAsync("dup/cat");
        clock.Advance(TrackingHarness.Generation);
        var text = await harness.Tracking.DuplicateNextAsync();
        var first = await harness.Tracking.DeliverNextAsync();
        var blob = Assert.Single(await harness.VideoBlobsAsync());
        var entryBefore = (await harness.LedgerEntryOfAsync(harness.Uploads.GetBlobClient("dup/cat.png")))!;

        var second = await harness.Tracking.DeliverNextAsync();
        var third = await harness.Tracker.TrackAsync(text, 3, CancellationToken.None);

        Assert.Equal(TrackingOutcomeStatus.Succeeded, first!.Status);
        Assert.Equal(TrackingOutcomeStatus.AlreadyCompleted, second!.Status);
        Assert.Equal(TrackingOutcomeStatus.AlreadyCompleted, third.Status);
        Assert.Equal(blob.Properties.ETag, Assert.Single(await harness.VideoBlobsAsync()).Properties.ETag);
        Assert.Single(await harness.CompletionRecordsAsync());
        Assert.Equal(1, harness.Simulator.VideosServed);
        Assert.Equal(entryBefore.ETag, (await harness.LedgerEntryOfAsync(harness.Uploads.GetBlobClient("dup/cat.png")))!.ETag);
        Assert.Empty(await harness.Tracking.PendingAsync());
    }

    [Fact]
    public async Task Concurrent_duplicate_deliveries_store_one_video_and_write_one_record()
    {
        var clock = TrackingHarness.Clock();
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock);
        await harness.SubmitPairAsync("race/cat");
        var text = (await harness.Tracking.PendingAsync()).Single().ToJsonString();
        clock.Advance(TrackingHarness.Generation);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => harness.Tracker.TrackAsync(text, 1, CancellationToken.None))));
        var after = await harness.Tracking.RunUntilIdleAsync(); // the losers' next polls (and the original message)

        Assert.Single(outcomes.Concat(after), o => o.Status == TrackingOutcomeStatus.Succeeded);
        Assert.Single(await harness.VideoBlobsAsync());
        Assert.Single(await harness.CompletionRecordsAsync());
        Assert.All(outcomes.Concat(after), o => Assert.Contains(o.Status, new[] { TrackingOutcomeStatus.Succeeded, TrackingOutcomeStatus.AlreadyCompleted, TrackingOutcomeStatus.Rescheduled }));
    }

    [Fact]
    public async Task A_run_dying_between_the_copy_and_the_record_leaves_one_video_and_one_record()
    {
        var clock = TrackingHarness.Clock();
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock);
        await harness.SubmitPairAsync("crash/cat");
        harness.StorageFaults.CrashWhen(CompletionsPost);

        await Assert.ThrowsAsync<SimulatedCrashException>(() => harness.Tracking.RunUntilIdleAsync());
        var stored = Assert.Single(await harness.VideoBlobsAsync());
        Assert.Empty(await harness.CompletionRecordsAsync());
        var held = (await harness.LedgerEntryOfAsync(harness.Uploads.GetBlobClient("crash/cat.png")))!;
        Assert.Equal(CompletionStatuses.Finishing, held.TrackingState);

        // The host delivers the message again; the dead run's claim protects the task until its lease ends.
        var whileLeased = await harness.Tracking.DeliverNextAsync();
        clock.Advance(TimeSpan.FromMinutes(10));
        var outcomes = await harness.Tracking.RunUntilIdleAsync();

        Assert.Equal(TrackingOutcomeStatus.Rescheduled, whileLeased!.Status);
        Assert.Equal(TrackingOutcomeStatus.Succeeded, outcomes[^1].Status);
        Assert.Equal(stored.Properties.ETag, Assert.Single(await harness.VideoBlobsAsync()).Properties.ETag);
        Assert.Equal(1, harness.Simulator.VideosServed);
        var record = Assert.Single(await harness.CompletionRecordsAsync());
        Assert.Equal(stored.Name, record["video"]!["blob"]!.GetValue<string>());
        Assert.Equal(stored.Properties.ContentLength, record["video"]!["length"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_completion_record_that_cannot_be_queued_is_kept_in_the_ledger_and_written_by_the_next_delivery()
    {
        var clock = TrackingHarness.Clock();
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock);
        await harness.SubmitPairAsync("owed/cat");
        harness.StorageFaults.FailWhen(CompletionsPost);

        await Assert.ThrowsAsync<Azure.RequestFailedException>(() => harness.Tracking.RunUntilIdleAsync());
        var owing = (await harness.LedgerEntryOfAsync(harness.Uploads.GetBlobClient("owed/cat.png")))!;
        harness.StorageFaults.Heal();
        var outcomes = await harness.Tracking.RunUntilIdleAsync();

        Assert.Equal(CompletionStatuses.Succeeded, owing.TrackingState);
        Assert.NotNull(owing.CompletionRecordJson);
        Assert.Equal(TrackingOutcomeStatus.RecordWritten, Assert.Single(outcomes).Status);
        var record = Assert.Single(await harness.CompletionRecordsAsync());
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(owing.CompletionRecordJson!), record), record.ToJsonString());
        Assert.Null((await harness.LedgerEntryOfAsync(harness.Uploads.GetBlobClient("owed/cat.png")))!.CompletionRecordJson);
        Assert.Single(await harness.VideoBlobsAsync());
    }

    [Fact]
    public async Task A_first_tracking_message_that_cannot_be_queued_is_owed_and_written_by_the_next_delivery()
    {
        var clock = TrackingHarness.Clock();
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock);
        await harness.UploadSidecarAsync("first/cat.json", Sidecars.Valid);
        var image = await harness.UploadImageAsync("first/cat.png", TestImages.Png(640, 360));
        harness.StorageFaults.FailWhen(m => m.Request.Uri.Path.EndsWith("/video-tracking/messages", StringComparison.Ordinal));

        await Assert.ThrowsAsync<TransientSubmissionException>(() => harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None));
        var owing = (await harness.LedgerEntryOfAsync(image))!;
        harness.StorageFaults.Heal();
        var redelivered = await harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None);
        var outcomes = await harness.Tracking.RunUntilIdleAsync();

        Assert.Equal(("submitted", true), (owing.State, owing.TrackingJson is not null));
        Assert.Single(await PipelineHarness.PeekAllAsync(harness.Tasks));
        Assert.Equal(OutcomeStatus.RecordWritten, redelivered.Status);
        Assert.Equal("recorded", (await harness.LedgerEntryOfAsync(image))!.State);
        Assert.Equal(1, harness.Simulator.PostCount);
        Assert.Equal(TrackingOutcomeStatus.Succeeded, outcomes[^1].Status);
        Assert.Single(await harness.CompletionRecordsAsync());
    }

    [Fact]
    public async Task An_http_replay_under_the_same_key_writes_an_owed_tracking_message_and_answers_the_task_record()
    {
        var clock = TrackingHarness.Clock();
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock);
        await harness.UploadImageAsync("http/cat.png", TestImages.Png(640, 360));
        var api = (StartFrame.Core.WaysIn.IVideoApi)harness.Services.GetService(typeof(StartFrame.Core.WaysIn.IVideoApi))!;
        const string body = """{"blob":"start-frames/http/cat.png","prompt":"a cat"}""";
        harness.StorageFaults.FailWhen(m => m.Request.Uri.Path.EndsWith("/video-tracking/messages", StringComparison.Ordinal));

        var first = await HttpCall.RunAsync(api.SubmitAsync(HttpCall.Post(body, "key-1"), CancellationToken.None));
        harness.StorageFaults.Heal();
        var replay = await HttpCall.RunAsync(api.SubmitAsync(HttpCall.Post(body, "key-1"), CancellationToken.None));

        // ModelStream took the task: the first answer says so (a 503 would invite a key-less caller to pay twice).
        Assert.Equal(202, first.Status);
        Assert.Equal(first.Json["taskId"]!.GetValue<string>(), replay.Json["taskId"]!.GetValue<string>());
        Assert.Equal(202, replay.Status);
        Assert.Equal("true", replay.Headers["Idempotent-Replayed"].ToString());
        var pending = Assert.Single(await harness.Tracking.PendingAsync());
        Assert.Equal(replay.Json["taskId"]!.GetValue<string>(), pending["taskId"]!.GetValue<string>());
        Assert.Equal(1, harness.Simulator.PostCount);
    }
}
