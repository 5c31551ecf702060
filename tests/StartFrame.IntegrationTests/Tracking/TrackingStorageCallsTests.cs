using StartFrame.Core.Tracking;
using StartFrame.IntegrationTests.Infrastructure;

namespace StartFrame.IntegrationTests.Tracking;

/// <summary>The storage calls docs/architecture.md and the benchmark state, counted on the core's own clients.</summary>
[Collection(StorageCollection.Name)]
public sealed class TrackingStorageCallsTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task An_accepted_upload_costs_seven_calls_and_a_generation_time_read_a_running_poll_one_and_finishing_seven_besides_the_hosts_receive_and_delete()
    {
        var clock = TrackingHarness.Clock();
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock);
        await harness.UploadSidecarAsync("calls/cat.json", Sidecars.Valid);
        var image = await harness.UploadImageAsync("calls/cat.png", TestImages.Png(640, 360));
        harness.StorageFaults.ClearLog();

        await harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None);
        var submission = harness.StorageFaults.Operations;
        harness.StorageFaults.ClearLog();
        var running = await harness.Tracking.DeliverNextAsync();
        var poll = harness.StorageFaults.Operations;
        harness.StorageFaults.ClearLog();
        await harness.Tracking.RunUntilIdleAsync();
        var rest = harness.StorageFaults.Operations;

        // Five, plus the snapshot that pins the validated bytes (Azurite has no versioning) and the first tracking message,
        // plus the read of the generation time of its shape (the first of it this instance submits; later ones are cached).
        Assert.True(8 == submission.Count, string.Join(Environment.NewLine, submission));
        Assert.Single(submission, op => op.StartsWith("GET ", StringComparison.Ordinal) && op.Contains("/" + Core.StartFrameOptions.GenerationTimesTable + "(", StringComparison.Ordinal));
        Assert.Contains(submission, op => op.StartsWith("PUT ", StringComparison.Ordinal) && op.EndsWith("/start-frames/calls/cat.png", StringComparison.Ordinal));
        Assert.Contains(submission, op => op.StartsWith("POST /", StringComparison.Ordinal) && op.EndsWith("/video-tracking/messages", StringComparison.Ordinal));
        Assert.Equal(TrackingOutcomeStatus.Rescheduled, running!.Status);
        Assert.Equal("POST", Assert.Single(poll).Split(' ')[0]); // the next poll; nothing else
        var finishing = rest.Skip(rest.Count - 7).ToList();
        Assert.True(rest.Count - 7 == 2, string.Join(Environment.NewLine, rest)); // two more running polls (30 s, 70 s) before the one at 150 s
        // The last: first what it took, read and written over its shape's generation time (the "nothing learned" read at
        // submission is kept 15 s only), before the slot is given back and the video copied; then the finish.
        Assert.Equal(["GET", "PUT", "GET", "PUT", "PUT", "POST", "PUT"], finishing.Select(op => op.Split(' ')[0]));
        Assert.Contains("/" + Core.StartFrameOptions.GenerationTimesTable + "(", finishing[0], StringComparison.Ordinal);
        Assert.Contains("/" + Core.StartFrameOptions.GenerationTimesTable + "(", finishing[1], StringComparison.Ordinal);
    }
}
