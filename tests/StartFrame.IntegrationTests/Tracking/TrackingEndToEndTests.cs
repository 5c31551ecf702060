using System.Text.Json.Nodes;
using ModelStream.Simulator;
using StartFrame.Core.Tracking;
using StartFrame.IntegrationTests.Infrastructure;

namespace StartFrame.IntegrationTests.Tracking;

/// <summary>An uploaded pair ends with its video in storage and one completion record, through real Azurite and the simulator.</summary>
[Collection(StorageCollection.Name)]
public sealed class TrackingEndToEndTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Uploaded_pair_ends_with_one_video_equal_to_what_the_simulator_served_and_one_completion_record_valid_against_its_schema()
    {
        var clock = TrackingHarness.Clock();
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock);
        var taskId = await harness.SubmitPairAsync("a/b/cat");

        var outcomes = await harness.Tracking.RunUntilIdleAsync();

        Assert.Equal(TrackingOutcomeStatus.Succeeded, outcomes[^1].Status);
        var video = Assert.Single(await harness.VideoBlobsAsync());
        Assert.Equal($"a/b/cat/{taskId}.mp4", video.Name);
        var stored = (await harness.Videos.GetBlobClient(video.Name).DownloadContentAsync()).Value;
        Assert.Equal(ModelStreamSimulator.SampleVideoBytes.ToArray(), stored.Content.ToArray());
        Assert.Equal("video/mp4", stored.Details.ContentType);

        var record = Assert.Single(await harness.CompletionRecordsAsync());
        Assert.Empty(await RecordSchemas.CompletionRecordErrorsAsync(record.ToJsonString()));
        var task = Assert.Single(await PipelineHarness.PeekAllAsync(harness.Tasks));
        Assert.Equal(taskId, record["taskId"]!.GetValue<string>());
        Assert.Equal("succeeded", record["status"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(new JsonObject
        {
            ["container"] = "videos",
            ["blob"] = $"a/b/cat/{taskId}.mp4",
            ["length"] = ModelStreamSimulator.SampleVideoBytes.Length,
            ["contentType"] = "video/mp4",
        }, record["video"]), record.ToJsonString());
        Assert.True(JsonNode.DeepEquals(task["source"], record["source"]));
        Assert.Equal(task["sidecar"]!.GetValue<string>(), record["sidecar"]!.GetValue<string>());
        Assert.Equal(task["correlationId"]!.GetValue<string>(), record["correlationId"]!.GetValue<string>());
        Assert.Equal(task["submittedAt"]!.GetValue<DateTimeOffset>(), record["submittedAt"]!.GetValue<DateTimeOffset>());
        Assert.True(record["completedAt"]!.GetValue<DateTimeOffset>() >= record["submittedAt"]!.GetValue<DateTimeOffset>() + TrackingHarness.Generation);

        var entry = (await harness.LedgerEntryOfAsync(harness.Uploads.GetBlobClient("a/b/cat.png")))!;
        Assert.Equal(("recorded", "succeeded"), (entry.State, entry.TrackingState));
        Assert.Equal(video.Name, entry.VideoBlob);
        Assert.Null(entry.TrackingClaimId);
        Assert.Empty(await harness.Tracking.PendingAsync());
    }

    [Fact]
    public async Task Video_blob_metadata_names_the_task_and_the_unicode_start_frame_in_ascii()
    {
        var clock = TrackingHarness.Clock();
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock);
        var taskId = await harness.SubmitPairAsync("fotos/çat ☃ 猫");

        await harness.Tracking.RunUntilIdleAsync();

        var video = Assert.Single(await harness.VideoBlobsAsync());
        Assert.Equal($"fotos/çat ☃ 猫/{taskId}.mp4", video.Name);
        Assert.Equal(taskId, video.Metadata["taskid"]);
        Assert.Equal("start-frames/fotos/çat ☃ 猫.png", Uri.UnescapeDataString(video.Metadata["startframe"]));
    }

    [Fact]
    public async Task A_later_take_of_the_same_frame_is_stored_beside_the_earlier_one_never_over_it()
    {
        var clock = TrackingHarness.Clock();
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock);
        var first = await harness.SubmitPairAsync("takes/cat");
        await harness.Tracking.RunUntilIdleAsync();

        // Uploaded again with a changed sidecar: a new take, a new task (identical content would be the same submission).
        var second = await harness.SubmitPairAsync("takes/cat", """{"prompt": "a second take", "duration": 8}""");
        await harness.Tracking.RunUntilIdleAsync();

        Assert.NotEqual(first, second);
        Assert.Equal(
            new[] { $"takes/cat/{first}.mp4", $"takes/cat/{second}.mp4" }.Order(StringComparer.Ordinal),
            (await harness.VideoBlobsAsync()).Select(b => b.Name).Order(StringComparer.Ordinal));
        Assert.Equal(2, (await harness.CompletionRecordsAsync()).Count);
    }

    [Fact]
    public async Task Tracking_starts_at_submission_for_http_submissions_by_url_which_land_in_by_url()
    {
        var clock = TrackingHarness.Clock();
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock, settings: PipelineHarness.HttpImageUrls);
        var api = (StartFrame.Core.WaysIn.IVideoApi)harness.Services.GetService(typeof(StartFrame.Core.WaysIn.IVideoApi))!;
        var imageUrl = await harness.ImageUrlAsync("frames/cat.png");

        var accepted = await HttpCall.RunAsync(api.SubmitAsync(HttpCall.Post(new JsonObject { ["imageUrl"] = imageUrl.AbsoluteUri, ["prompt"] = "a cat" }.ToJsonString()), CancellationToken.None));
        var taskId = accepted.Json["taskId"]!.GetValue<string>();
        var pending = Assert.Single(await harness.Tracking.PendingAsync());
        await harness.Tracking.RunUntilIdleAsync();

        Assert.Equal(taskId, pending["taskId"]!.GetValue<string>());
        Assert.Equal($"by-url/{taskId}.mp4", Assert.Single(await harness.VideoBlobsAsync()).Name);
        var record = Assert.Single(await harness.CompletionRecordsAsync());
        Assert.Equal(imageUrl.GetLeftPart(UriPartial.Path), record["source"]!["url"]!.GetValue<string>());
        Assert.Empty(await RecordSchemas.CompletionRecordErrorsAsync(record.ToJsonString()));
    }

    [Fact]
    public async Task Polls_back_off_from_10_s_doubling_to_the_2_minute_cap_while_the_task_runs()
    {
        var clock = TrackingHarness.Clock();
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock, new SimulatorOptions { GenerationTime = TimeSpan.FromMinutes(10) });
        await harness.SubmitPairAsync("slow/cat");
        var submittedAt = clock.GetUtcNow();

        var outcomes = await harness.Tracking.RunUntilIdleAsync();

        var gaps = outcomes.Where(o => o.NextPollAt is not null).Select(o => o.NextPollAt!.Value).Prepend(submittedAt.AddSeconds(10))
            .Zip(outcomes.Where(o => o.NextPollAt is not null).Select(o => o.NextPollAt!.Value), (due, next) => (next - due).TotalSeconds).ToList();
        Assert.Equal([20, 40, 80, 120, 120, 120], gaps.Take(6));
        Assert.Equal(TrackingOutcomeStatus.Succeeded, outcomes[^1].Status);
        Assert.Equal(outcomes.Count, harness.Simulator.PollCount);
    }

    [Fact]
    public async Task Off_peak_tasks_are_polled_up_to_the_off_peak_cap()
    {
        var clock = TrackingHarness.Clock();
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock, new SimulatorOptions { GenerationTime = TimeSpan.FromHours(5) });
        await harness.SubmitPairAsync("night/cat", """{"audio": true, "off_peak": true}""");

        var outcomes = await harness.Tracking.RunUntilIdleAsync();

        var polls = outcomes.Where(o => o.NextPollAt is not null).Select(o => o.NextPollAt!.Value).ToList();
        var longest = polls.Zip(polls.Skip(1), (a, b) => b - a).Max();
        Assert.Equal(TimeSpan.FromMinutes(15), longest);
        Assert.Equal(TrackingOutcomeStatus.Succeeded, outcomes[^1].Status);
        Assert.InRange(outcomes.Count, 20, 30); // 5 h at most every 15 min, after the doubling
    }

    [Fact]
    public async Task Tracking_starts_at_submission_for_queue_submissions_and_their_video_is_named_after_the_blob()
    {
        var clock = TrackingHarness.Clock();
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock);
        await harness.UploadImageAsync("queued/cat.png", TestImages.Png(640, 360));
        var processor = (StartFrame.Core.WaysIn.ISubmissionQueueProcessor)harness.Services.GetService(typeof(StartFrame.Core.WaysIn.ISubmissionQueueProcessor))!;

        await processor.ProcessAsync("""{"blob":"start-frames/queued/cat.png","prompt":"q","correlationId":"pipeline-9"}""", "message-1", 1, CancellationToken.None);
        var pending = Assert.Single(await harness.Tracking.PendingAsync());
        await harness.Tracking.RunUntilIdleAsync();

        var taskId = pending["taskId"]!.GetValue<string>();
        Assert.Equal("pipeline-9", pending["correlationId"]!.GetValue<string>());
        Assert.Equal($"queued/cat/{taskId}.mp4", Assert.Single(await harness.VideoBlobsAsync()).Name);
        Assert.Equal("pipeline-9", Assert.Single(await harness.CompletionRecordsAsync())["correlationId"]!.GetValue<string>());
    }
}
