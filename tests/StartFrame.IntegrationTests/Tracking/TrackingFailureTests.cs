using ModelStream.Simulator;
using StartFrame.Core.Tracking;
using StartFrame.IntegrationTests.Infrastructure;

namespace StartFrame.IntegrationTests.Tracking;

/// <summary>Tasks that end without a video end in exactly one failure completion record; transient faults are retried.</summary>
[Collection(StorageCollection.Name)]
public sealed class TrackingFailureTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Failed_generation_ends_in_one_failed_completion_record_with_ModelStreams_reason_and_nothing_resubmitted()
    {
        var clock = TrackingHarness.Clock();
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock);
        harness.Simulator.AddFaults(new SimulatedFault { FailGeneration = "The prompt breaks the content policy." });
        await harness.SubmitPairAsync("fail/cat");

        var outcomes = await harness.Tracking.RunUntilIdleAsync();

        var record = await SingleValidRecordAsync(harness, "failed");
        Assert.Equal("generation_failed", record["error"]!["code"]!.GetValue<string>());
        Assert.Equal("The prompt breaks the content policy.", record["error"]!["message"]!.GetValue<string>());
        Assert.Equal(TrackingOutcomeStatus.Failed, outcomes[^1].Status);
        Assert.Empty(await harness.VideoBlobsAsync());
        Assert.Equal(1, harness.Simulator.PostCount);
        Assert.Equal("failed", (await harness.LedgerEntryOfAsync(harness.Uploads.GetBlobClient("fail/cat.png")))!.TrackingState);
    }

    [Fact]
    public async Task Expired_result_url_ends_in_one_failed_completion_record_that_says_so()
    {
        var clock = TrackingHarness.Clock();
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock);
        harness.Simulator.AddFaults(new SimulatedFault { ExpireResult = true });
        await harness.SubmitPairAsync("expired/cat");

        await harness.Tracking.RunUntilIdleAsync();

        var record = await SingleValidRecordAsync(harness, "failed");
        Assert.Equal("result_url_expired", record["error"]!["code"]!.GetValue<string>());
        Assert.Contains("expired", record["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(await harness.VideoBlobsAsync());
    }

    [Fact]
    public async Task Task_unfinished_at_the_horizon_ends_in_one_timed_out_completion_record()
    {
        var clock = TrackingHarness.Clock();
        var settings = new Dictionary<string, string?> { ["StartFrame:TrackingHorizon"] = "01:00:00" };
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock, new SimulatorOptions { GenerationTime = TimeSpan.FromHours(5) }, settings);
        await harness.SubmitPairAsync("forever/cat");
        var submitted = clock.GetUtcNow();

        var outcomes = await harness.Tracking.RunUntilIdleAsync();

        var record = await SingleValidRecordAsync(harness, "timed_out");
        Assert.Equal("horizon_reached", record["error"]!["code"]!.GetValue<string>());
        Assert.Contains("StartFrame__TrackingHorizon", record["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("in_progress", record["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(submitted.AddHours(1), clock.GetUtcNow()); // the last poll is due at the horizon, not past it
        Assert.Equal(TrackingOutcomeStatus.TimedOut, outcomes[^1].Status);
        Assert.Empty(await harness.Tracking.PendingAsync());
    }

    [Fact]
    public async Task Unknown_task_ends_in_one_failed_completion_record()
    {
        var clock = TrackingHarness.Clock();
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock);
        await harness.SubmitPairAsync("unknown/cat");
        harness.Simulator.AddFaults(new SimulatedFault { On = SimulatedFaultTarget.Poll, Status = 400, Code = "task_not_exist", Param = "task_id" });

        await harness.Tracking.RunUntilIdleAsync();

        var record = await SingleValidRecordAsync(harness, "failed");
        Assert.Equal("task_not_exist", record["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Poll_failures_and_a_refused_key_are_polled_again_and_the_task_still_ends_with_its_video()
    {
        var clock = TrackingHarness.Clock();
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock);
        await harness.SubmitPairAsync("flaky/cat");
        harness.Simulator.AddFaults(
            new SimulatedFault { On = SimulatedFaultTarget.Poll, Status = 500 },
            new SimulatedFault { On = SimulatedFaultTarget.Poll, Status = 503, RetryAfter = 600 },
            new SimulatedFault { On = SimulatedFaultTarget.Poll, Status = 401 });

        var outcomes = await harness.Tracking.RunUntilIdleAsync();

        Assert.Equal(3, outcomes.Count(o => o.Status == TrackingOutcomeStatus.Rescheduled && o.Generation is null));
        Assert.True(outcomes[1].NextPollAt - outcomes[0].NextPollAt >= TimeSpan.FromSeconds(600), "the 503's Retry-After is honoured");
        await SingleValidRecordAsync(harness, "succeeded");
        Assert.Single(await harness.VideoBlobsAsync());
        Assert.Contains(harness.Logs.Lines, l => l.Contains("[1111]", StringComparison.Ordinal) && l.Contains("ModelStream__ApiKey", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(500, null)]
    [InlineData(null, 1000L)]
    public async Task A_failed_or_cut_copy_is_retried_and_the_stored_video_is_whole(int? status, long? cutAfterBytes)
    {
        var clock = TrackingHarness.Clock();
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock, new SimulatorOptions { GenerationTime = TrackingHarness.Generation, VideoLength = 6_000_000 });
        await harness.SubmitPairAsync("cut/cat");
        harness.Simulator.AddFaults(new SimulatedFault { On = SimulatedFaultTarget.Video, Status = status, CutAfterBytes = cutAfterBytes });

        var outcomes = await harness.Tracking.RunUntilIdleAsync();

        Assert.Contains(outcomes, o => o.Status == TrackingOutcomeStatus.Rescheduled && o.Generation == "completed");
        var record = await SingleValidRecordAsync(harness, "succeeded");
        var video = Assert.Single(await harness.VideoBlobsAsync());
        Assert.Equal(6_000_000, video.Properties.ContentLength);
        Assert.Equal(6_000_000, record["video"]!["length"]!.GetValue<long>());
        var stored = (await harness.Videos.GetBlobClient(video.Name).DownloadContentAsync()).Value.Content.ToArray();
        Assert.Equal(ModelStreamSimulator.SampleVideoBytes.ToArray(), stored[..ModelStreamSimulator.SampleVideoBytes.Length]);
        Assert.Null((await harness.LedgerEntryOfAsync(harness.Uploads.GetBlobClient("cut/cat.png")))!.TrackingClaimId);
    }

    [Fact]
    public async Task The_result_url_and_its_signature_never_reach_a_log_line()
    {
        var clock = TrackingHarness.Clock();
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock);
        await harness.SubmitPairAsync("quiet/cat");
        harness.Simulator.AddFaults(new SimulatedFault { On = SimulatedFaultTarget.Video, Status = 500 });

        await harness.Tracking.RunUntilIdleAsync();

        Assert.Contains(harness.Logs.Lines, l => l.Contains("/_simulator/videos/", StringComparison.Ordinal)); // the copy failure names the URL...
        Assert.DoesNotContain(harness.Logs.Lines, l => l.Contains("sig=", StringComparison.Ordinal) || l.Contains("se=", StringComparison.Ordinal)); // ...without its query
    }

    private static async Task<System.Text.Json.Nodes.JsonObject> SingleValidRecordAsync(PipelineHarness harness, string status)
    {
        var record = Assert.Single(await harness.CompletionRecordsAsync());
        Assert.Empty(await RecordSchemas.CompletionRecordErrorsAsync(record.ToJsonString()));
        Assert.Equal(status, record["status"]!.GetValue<string>());
        return record;
    }
}
