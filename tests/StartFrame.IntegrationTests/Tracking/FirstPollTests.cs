using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;
using ModelStream.Simulator;
using StartFrame.Core;
using StartFrame.Core.Polling;
using StartFrame.Core.Tracking;
using StartFrame.Core.WaysIn;
using Microsoft.Extensions.DependencyInjection;
using StartFrame.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace StartFrame.IntegrationTests.Tracking;

/// <summary>
/// The first poll at the generation time learned per model, duration and resolution, on the fake clock with real Azurite
/// and the simulator (every task takes <see cref="Generation"/>): what the first task of a shape teaches, what the next
/// one gains, and that a table that fails costs nothing but the gain.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class FirstPollTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private static readonly TimeSpan Generation = TimeSpan.FromSeconds(20);

    private const string OtherDuration = """{"model": "viduq2-pro-fast", "prompt": "longer", "duration": 8, "resolution": "1080p"}""";

    [Fact]
    public async Task Once_a_task_of_a_shape_finished_the_next_ones_video_is_stored_within_a_tenth_over_the_generation_time()
    {
        var clock = TrackingHarness.Clock();
        await using var harness = await StartAsync(clock);

        var first = await FollowAsync(harness, "learn/first");
        var second = await FollowAsync(harness, "learn/second");
        var third = await FollowAsync(harness, "learn/third");

        output.WriteLine($"generation {Generation.TotalSeconds} s: first task stored after {first.Stored.TotalSeconds} s ({first.Polls} polls); second {second.Stored.TotalSeconds} s ({second.Polls}); third {third.Stored.TotalSeconds} s ({third.Polls})");
        // The first of its shape: the fixed schedule, polls at 10 s and 30 s.
        Assert.Equal((TimeSpan.FromSeconds(30), 2), (first.Stored, first.Polls));
        // The copy takes no fake time: stored at the poll that found it done.
        Assert.InRange(second.Stored, Generation, Generation * 1.1);
        Assert.InRange(third.Stored, Generation, Generation * 1.1);
        Assert.Equal(1, second.Polls);
        Assert.Contains(harness.Logs.Lines, l => l.Contains("[1132]", StringComparison.Ordinal) && l.Contains("viduq2-pro-fast", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_task_of_another_duration_keeps_the_fixed_schedule_after_one_shape_was_learned()
    {
        var clock = TrackingHarness.Clock();
        await using var harness = await StartAsync(clock);
        await FollowAsync(harness, "shapes/learned");

        var submittedAt = clock.GetUtcNow();
        await harness.SubmitPairAsync("shapes/longer", OtherDuration);
        var firstPoll = Assert.Single(await harness.Tracking.PendingAsync());
        var other = await FollowSubmittedAsync(harness);

        Assert.Equal(submittedAt.AddSeconds(10), firstPoll["dueAt"]!.GetValue<DateTimeOffset>());
        Assert.Null(firstPoll["expected"]);
        Assert.Equal((TimeSpan.FromSeconds(30), 2), (other.Stored, other.Polls));
    }

    [Fact]
    public async Task A_task_still_running_at_its_expected_time_is_polled_a_near_step_later_then_doubling_and_raises_the_estimate()
    {
        var clock = TrackingHarness.Clock();
        await using var harness = await StartAsync(clock);
        // Tasks of this shape were seen to take 15 s; they now take 20 s.
        var (partitionKey, rowKey) = GenerationTimes.KeysOf(new VideoShape("viduq2-pro-fast", "5", "1080p"));
        var table = new TableClient(azurite.Server.ConnectionString, StartFrameOptions.GenerationTimesTable);
        await table.UpsertEntityAsync(new TableEntity(partitionKey, rowKey) { ["Seconds"] = 15.0, ["Samples"] = 3 });

        var slower = await FollowAsync(harness, "slower/first");
        await harness.SubmitPairAsync("slower/second");
        var next = Assert.Single(await harness.Tracking.PendingAsync());

        // Polled at 15 s, 17 s (the 2 s floor of the near step) and 21 s (doubling from it).
        Assert.Equal((TimeSpan.FromSeconds(21), 3), (slower.Stored, slower.Polls));
        // Seen unfinished at 17 s and done at 21 s: 19 s, which moves 15 s by three tenths of the difference.
        Assert.Equal(16.2, TimeSpan.Parse(next["expected"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).TotalSeconds, precision: 6);
        var row = (await table.GetEntityAsync<TableEntity>(partitionKey, rowKey)).Value;
        Assert.Equal(4, row.GetInt32("Samples"));
    }

    [Fact]
    public async Task A_generation_times_table_that_fails_leaves_the_fixed_schedule_logs_once_and_fails_no_submission()
    {
        var clock = TrackingHarness.Clock();
        await using var harness = await StartAsync(clock);
        harness.StorageFaults.FailWhen(m => m.Request.Uri.Path.Contains(StartFrameOptions.GenerationTimesTable, StringComparison.Ordinal));

        var first = await FollowAsync(harness, "outage/first");
        var second = await FollowAsync(harness, "outage/second");

        Assert.Equal((TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30)), (first.Stored, second.Stored));
        Assert.Single(harness.Logs.Lines, l => l.Contains("[1130]", StringComparison.Ordinal));

        // Healed: a shape whose failed read is not remembered (that lasts GenerationTimes.CacheFor) is read, teaches, and
        // the log says the table answers again.
        harness.StorageFaults.Heal();
        await FollowAsync(harness, "outage/third", OtherDuration);
        var fourth = await FollowAsync(harness, "outage/fourth", OtherDuration);

        Assert.Single(harness.Logs.Lines, l => l.Contains("[1131]", StringComparison.Ordinal));
        Assert.InRange(fourth.Stored, Generation, Generation * 1.1);
    }

    [Fact]
    public async Task An_instance_that_found_a_shape_unlearned_uses_what_another_instance_learned_soon_after()
    {
        var clock = TrackingHarness.Clock();
        await using var harness = await StartAsync(clock);
        await using var second = harness.StartAnotherInstance(clock);
        var uploads = second.GetRequiredService<IBlobUploads>();

        // The second instance submits the first task of the shape: nothing learned yet, and it remembers that.
        await harness.UploadSidecarAsync("instances/early.json", Sidecars.Valid);
        await uploads.ProcessBlobAsync(await harness.UploadImageAsync("instances/early.png", TestImages.Png(640, 360)), null, CancellationToken.None);
        var foundUnlearnedAt = clock.GetUtcNow();
        // The first instance follows it (and its own) to the end, and learns the shape.
        await FollowAsync(harness, "instances/learner");

        // Well within GenerationTimes.CacheFor of its read, the second instance's next task is placed by what was learned.
        await harness.UploadSidecarAsync("instances/later.json", Sidecars.Valid);
        var submittedAt = clock.GetUtcNow();
        await uploads.ProcessBlobAsync(await harness.UploadImageAsync("instances/later.png", TestImages.Png(640, 360)), null, CancellationToken.None);

        var firstPoll = Assert.Single(await harness.Tracking.PendingAsync());
        Assert.InRange(submittedAt - foundUnlearnedAt, GenerationTimes.CacheAbsentFor, GenerationTimes.CacheFor); // past the one, within the other
        Assert.NotNull(firstPoll["expected"]);
        Assert.InRange(firstPoll["dueAt"]!.GetValue<DateTimeOffset>() - submittedAt, Generation * 0.5, Generation * 1.5);
    }

    [Fact]
    public async Task A_task_whose_copy_is_tried_again_teaches_its_time_once_from_the_poll_that_found_it_done()
    {
        var clock = TrackingHarness.Clock();
        await using var harness = await StartAsync(clock);
        var failed = 0;
        // Storage refuses the video's first copy (both tries of it): the task is done, its video not stored yet.
        harness.StorageFaults.FailWhen(m => m.Request.Uri.Path.Contains("/" + StartFrameOptions.VideosContainer + "/", StringComparison.Ordinal)
            && m.Request.Method == Azure.Core.RequestMethod.Put && Interlocked.Increment(ref failed) <= 2);

        await harness.SubmitPairAsync("copy-retry/cat");
        var outcomes = await harness.Tracking.RunUntilIdleAsync();

        Assert.Equal(TrackingOutcomeStatus.Rescheduled, outcomes[^2].Status); // the copy deferred to a later poll
        Assert.Equal(TrackingOutcomeStatus.Succeeded, outcomes[^1].Status);
        var (partitionKey, rowKey) = GenerationTimes.KeysOf(new VideoShape("viduq2-pro-fast", "5", "1080p"));
        var row = (await new TableClient(azurite.Server.ConnectionString, StartFrameOptions.GenerationTimesTable).GetEntityAsync<TableEntity>(partitionKey, rowKey)).Value;
        Assert.Equal(1, row.GetInt32("Samples"));
        // Polls at 10 s (running) and 30 s (done): the middle, not the later delivery that stored the video.
        Assert.Equal(20, row.GetDouble("LastSeenSeconds")!.Value, precision: 6);
    }

    private Task<PipelineHarness> StartAsync(FakeTimeProvider clock) =>
        TrackingHarness.StartAsync(azurite.Server, clock, new SimulatorOptions { GenerationTime = Generation });

    /// <summary>Uploads and submits a pair of the valid sidecar's shape, then follows it to its video.</summary>
    private static async Task<VideoCost> FollowAsync(PipelineHarness harness, string stem, string sidecar = Sidecars.Valid)
    {
        await harness.SubmitPairAsync(stem, sidecar);
        return await FollowSubmittedAsync(harness);
    }

    private static async Task<VideoCost> FollowSubmittedAsync(PipelineHarness harness)
    {
        var polls = harness.Simulator.PollCount;
        var outcomes = await harness.Tracking.RunUntilIdleAsync();
        Assert.Equal(TrackingOutcomeStatus.Succeeded, outcomes[^1].Status);
        var record = (await harness.CompletionRecordsAsync()).Last(r => r["taskId"]!.GetValue<string>() == outcomes[^1].TaskId);
        return new VideoCost(At(record, "completedAt") - At(record, "submittedAt"), harness.Simulator.PollCount - polls);
    }

    private static DateTimeOffset At(JsonObject record, string name) => record[name]!.GetValue<DateTimeOffset>();

    /// <summary>From acceptance to the stored video (fake clock), and the polls it took.</summary>
    private sealed record VideoCost(TimeSpan Stored, int Polls);
}
