using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using ModelStream.Simulator;
using StartFrame.Core.Tracking;
using StartFrame.IntegrationTests.Infrastructure;
using StartFrame.IntegrationTests.Tracking;

namespace StartFrame.IntegrationTests.Hostile;

/// <summary>
/// Whatever a result URL answers — errors forever, a URL that is no http, a redirect anywhere, HTML or JSON or nothing
/// with 200, a body that stalls, a video too large — the task ends with exactly one completion record, no claim is left
/// finishing, nothing but a video is stored under the video's name, and nothing forbidden is reached. Real Azurite, the
/// simulator playing the provider, a fake clock.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class ResultUrlTests(AzuriteFixture azurite)
{
    private static readonly Dictionary<string, string?> ShortHorizon = new() { ["StartFrame:TrackingHorizon"] = "00:30:00" };

    [Fact]
    public async Task A_result_url_failing_past_the_horizon_is_retried_on_the_schedule_and_ends_in_one_record()
    {
        var clock = TrackingHarness.Clock();
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock, settings: ShortHorizon);
        var taskId = await harness.SubmitPairAsync("horizon/cat");
        harness.Simulator.AddFaults(new SimulatedFault { On = SimulatedFaultTarget.Video, Status = 500, Times = 0 });

        var outcomes = await harness.Tracking.RunUntilIdleAsync(limit: 200);

        // 30 minutes of polls at most 2 minutes apart, and past the horizon one retry on the schedule: not hundreds.
        Assert.InRange(outcomes.Count, 2, 40);
        var record = await SingleRecordAsync(harness, "failed");
        Assert.Equal("video_copy_failed", record["error"]!["code"]!.GetValue<string>());
        Assert.Contains("StartFrame__TrackingHorizon", record["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("500", record["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        await AssertEndedAsync(harness, "horizon/cat", taskId, "failed");
        Assert.Empty(await harness.VideoBlobsAsync());
    }

    [Theory]
    [InlineData("/video/x.mp4")]          // relative: on Linux it reads as file:///video/x.mp4
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://example.com/x.mp4")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("https://10.0.0.5/x.mp4")]
    public async Task A_result_url_that_leads_nowhere_allowed_ends_the_task_failed_with_the_reason(string resultUrl)
    {
        var clock = TrackingHarness.Clock();
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock);
        harness.Simulator.AddFaults(new SimulatedFault { ResultUrl = resultUrl });
        var taskId = await harness.SubmitPairAsync("nowhere/cat");

        var outcomes = await harness.Tracking.RunUntilIdleAsync(limit: 50);

        var record = await SingleRecordAsync(harness, "failed");
        Assert.Equal("result_url_refused", record["error"]!["code"]!.GetValue<string>());
        Assert.StartsWith("The video was not copied: the result URL was refused: ", record["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(TrackingOutcomeStatus.Failed, outcomes[^1].Status);
        await AssertEndedAsync(harness, "nowhere/cat", taskId, "failed");
        Assert.Empty(await harness.VideoBlobsAsync());
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://192.168.1.1/")]
    [InlineData("gopher://127.0.0.1:70/")]
    public async Task A_redirect_to_where_nothing_is_fetched_ends_the_task_failed_with_the_reason(string location)
    {
        var clock = TrackingHarness.Clock();
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock);
        var taskId = await harness.SubmitPairAsync("redirect/cat");
        harness.Simulator.AddFaults(new SimulatedFault { On = SimulatedFaultTarget.Video, RedirectTo = location, Times = 0 });

        await harness.Tracking.RunUntilIdleAsync(limit: 50);

        var record = await SingleRecordAsync(harness, "failed");
        Assert.Equal("result_url_refused", record["error"]!["code"]!.GetValue<string>());
        Assert.Contains("redirected to a URL that was refused", record["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        await AssertEndedAsync(harness, "redirect/cat", taskId, "failed");
        Assert.Empty(await harness.VideoBlobsAsync());
    }

    [Fact]
    public async Task A_redirect_to_an_allowed_url_is_followed_to_the_video()
    {
        var clock = TrackingHarness.Clock();
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock);
        var taskId = await harness.SubmitPairAsync("hop/cat");
        harness.Simulator.AddFaults(new SimulatedFault { On = SimulatedFaultTarget.Video, RedirectTo = "{video}", Times = 2 });

        await harness.Tracking.RunUntilIdleAsync(limit: 50);

        await SingleRecordAsync(harness, "succeeded");
        await AssertStoredVideoIsTheVideoAsync(harness, taskId);
    }

    [Fact]
    public async Task Without_the_development_setting_loopback_and_http_are_never_reached()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var clock = TrackingHarness.Clock();
        var production = new Dictionary<string, string?> { ["StartFrame:AllowLoopbackResultUrls"] = "false" };
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock, settings: production);
        harness.Simulator.AddFaults(new SimulatedFault { ResultUrl = $"https://127.0.0.1:{port}/x.mp4" });
        await harness.SubmitPairAsync("local/first");
        await harness.Tracking.RunUntilIdleAsync(limit: 50);
        harness.Simulator.AddFaults(new SimulatedFault { ResultUrl = $"https://localhost:{port}/x.mp4" });
        await harness.SubmitPairAsync("local/second");
        await harness.Tracking.RunUntilIdleAsync(limit: 50);
        await harness.SubmitPairAsync("local/third"); // the simulator's own http://127.0.0.1 URL
        await harness.Tracking.RunUntilIdleAsync(limit: 50);

        var records = await harness.CompletionRecordsAsync();
        Assert.Equal(3, records.Count);
        Assert.All(records, r => Assert.Equal("result_url_refused", r["error"]!["code"]!.GetValue<string>()));
        Assert.False(listener.Pending(), "a connection reached the loopback listener");
        Assert.Equal(0, harness.Simulator.VideosServed);
        Assert.Empty(await harness.VideoBlobsAsync());
    }

    [Theory]
    [InlineData(SimulatedVideoContent.Html)]
    [InlineData(SimulatedVideoContent.Json)]
    [InlineData(SimulatedVideoContent.Empty)]
    [InlineData(SimulatedVideoContent.NotVideo)]
    public async Task A_200_that_is_no_video_is_never_stored_and_the_real_video_is_copied_at_the_next_poll(SimulatedVideoContent content)
    {
        var clock = TrackingHarness.Clock();
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock);
        var taskId = await harness.SubmitPairAsync("impostor/cat");
        harness.Simulator.AddFaults(new SimulatedFault { On = SimulatedFaultTarget.Video, Serve = content });

        var outcomes = await harness.Tracking.RunUntilIdleAsync(limit: 50);

        Assert.Contains(outcomes, o => o.Status == TrackingOutcomeStatus.Rescheduled && o.Generation == "completed");
        await SingleRecordAsync(harness, "succeeded");
        await AssertStoredVideoIsTheVideoAsync(harness, taskId);
    }

    [Fact]
    public async Task A_result_url_that_never_answers_a_video_ends_at_the_horizon_without_storing_anything()
    {
        var clock = TrackingHarness.Clock();
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock, settings: ShortHorizon);
        var taskId = await harness.SubmitPairAsync("html/cat");
        harness.Simulator.AddFaults(new SimulatedFault { On = SimulatedFaultTarget.Video, Serve = SimulatedVideoContent.Html, Times = 0 });

        await harness.Tracking.RunUntilIdleAsync(limit: 200);

        var record = await SingleRecordAsync(harness, "failed");
        Assert.Equal("video_copy_failed", record["error"]!["code"]!.GetValue<string>());
        Assert.Contains("text/html, not a video", record["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        await AssertEndedAsync(harness, "html/cat", taskId, "failed");
        Assert.Empty(await harness.VideoBlobsAsync());
    }

    [Theory]
    [InlineData(88L, "VideoReadIdleTimeout", "00:00:01", "00:05:00")]
    [InlineData(5_000_000L, "VideoReadIdleTimeout", "00:00:01", "00:05:00")] // stalls while blocks are being staged
    [InlineData(88L, "VideoCopyDeadline", "00:05:00", "00:00:03")]
    public async Task A_stalled_body_is_given_up_and_the_video_copied_whole_at_the_next_poll(long stallAfter, string setting, string idle, string deadline)
    {
        var clock = TrackingHarness.Clock();
        var settings = new Dictionary<string, string?> { ["StartFrame:VideoReadIdleTimeout"] = idle, ["StartFrame:VideoCopyDeadline"] = deadline };
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock, new SimulatorOptions { GenerationTime = TrackingHarness.Generation, VideoLength = 6_000_000 }, settings);
        var taskId = await harness.SubmitPairAsync("stall/cat");
        harness.Simulator.AddFaults(new SimulatedFault { On = SimulatedFaultTarget.Video, StallAfterBytes = stallAfter });

        var outcomes = await harness.Tracking.RunUntilIdleAsync(limit: 50).WaitAsync(TimeSpan.FromSeconds(90));

        Assert.Contains(outcomes, o => o.Status == TrackingOutcomeStatus.Rescheduled && o.Generation == "completed");
        Assert.Contains(harness.Logs.Lines, l => l.Contains("[1105]", StringComparison.Ordinal) && l.Contains("StartFrame__" + setting, StringComparison.Ordinal));
        var record = await SingleRecordAsync(harness, "succeeded");
        Assert.Equal(6_000_000, record["video"]!["length"]!.GetValue<long>());
        await AssertStoredVideoIsTheVideoAsync(harness, taskId);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_video_larger_than_allowed_is_not_read_past_the_bound_nor_stored(bool hideLength)
    {
        var clock = TrackingHarness.Clock();
        var settings = new Dictionary<string, string?> { ["StartFrame:VideoMaxBytes"] = "1000000" };
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock, settings: settings);
        var taskId = await harness.SubmitPairAsync("huge/cat");
        harness.Simulator.AddFaults(new SimulatedFault { On = SimulatedFaultTarget.Video, Length = 6_000_000, HideLength = hideLength, Times = 0 });

        await harness.Tracking.RunUntilIdleAsync(limit: 50);

        var record = await SingleRecordAsync(harness, "failed");
        Assert.Equal("video_too_large", record["error"]!["code"]!.GetValue<string>());
        var message = record["error"]!["message"]!.GetValue<string>();
        Assert.Contains("1,000,000", message, StringComparison.Ordinal);
        Assert.Contains("StartFrame__VideoMaxBytes", message, StringComparison.Ordinal);
        Assert.Contains(hideLength ? "reading stopped there" : "nothing was read", message, StringComparison.Ordinal);
        await AssertEndedAsync(harness, "huge/cat", taskId, "failed");
        Assert.Empty(await harness.VideoBlobsAsync());
    }

    internal static async Task<JsonObject> SingleRecordAsync(PipelineHarness harness, string status)
    {
        var record = Assert.Single(await harness.CompletionRecordsAsync());
        Assert.Empty(await RecordSchemas.CompletionRecordErrorsAsync(record.ToJsonString()));
        Assert.Equal(status, record["status"]!.GetValue<string>());
        return record;
    }

    internal static async Task AssertEndedAsync(PipelineHarness harness, string stem, string taskId, string state)
    {
        var entry = (await harness.LedgerEntryOfAsync(harness.Uploads.GetBlobClient(stem + ".png")))!;
        Assert.Equal(taskId, entry.TaskId);
        Assert.Equal(state, entry.TrackingState);
        Assert.Null(entry.TrackingClaimId);
        Assert.Empty(await harness.Tracking.PendingAsync());
    }

    internal static async Task AssertStoredVideoIsTheVideoAsync(PipelineHarness harness, string taskId)
    {
        var video = Assert.Single(await harness.VideoBlobsAsync());
        Assert.EndsWith($"/{taskId}.mp4", video.Name, StringComparison.Ordinal);
        var stored = (await harness.Videos.GetBlobClient(video.Name).DownloadContentAsync()).Value.Content.ToArray();
        var sample = ModelStreamSimulator.SampleVideoBytes.ToArray();
        Assert.True(stored.Length >= sample.Length, $"the stored video is {stored.Length} bytes");
        Assert.Equal(sample, stored[..sample.Length]);
    }
}
