using System.Text.Json.Nodes;
using ModelStream.Simulator;
using StartFrame.IntegrationTests.Infrastructure;
using StartFrame.IntegrationTests.Tracking;

namespace StartFrame.IntegrationTests.Cli;

/// <summary>
/// <c>track</c>, <c>status --wait</c> and <c>download</c> run as the real CLI process, in real time: the simulator
/// generates in 2 s and the tracker polls every second.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class FollowingTaskCommandTests(AzuriteFixture azurite) : IDisposable
{
    private static readonly Dictionary<string, string?> FastTracking = new()
    {
        ["StartFrame:PollFirstDelay"] = "00:00:01",
        ["StartFrame:PollMaxDelay"] = "00:00:01",
    };

    private static readonly SimulatorOptions TwoSeconds = new() { GenerationTime = TimeSpan.FromSeconds(2) };

    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    private readonly ScratchDirectory _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Track_until_idle_as_a_process_lands_the_video_and_one_completion_record()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server, FastTracking, TwoSeconds);
        var taskId = await harness.SubmitPairAsync("cli/track/cat");

        var run = await CliProcess.RunAsync(harness.Settings, "track", "--until-idle", "--json");

        Assert.True(run.ExitCode == 0, run.StandardError + run.StandardOutput);
        var lines = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal("succeeded", lines[^1]["status"]!.GetValue<string>());
        Assert.All(lines[..^1], l => Assert.Equal("rescheduled", l["status"]!.GetValue<string>()));
        var video = Assert.Single(await harness.VideoBlobsAsync());
        Assert.Equal($"cli/track/cat/{taskId}.mp4", video.Name);
        Assert.Equal(ModelStreamSimulator.SampleVideoBytes.ToArray(), (await harness.Videos.GetBlobClient(video.Name).DownloadContentAsync()).Value.Content.ToArray());
        var record = Assert.Single(await harness.CompletionRecordsAsync());
        Assert.Empty(await RecordSchemas.CompletionRecordErrorsAsync(record.ToJsonString()));
        Assert.DoesNotContain("sig=", run.StandardOutput + run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_wait_follows_the_task_to_its_stored_video_and_exits_0()
    {
        var clock = TrackingHarness.Clock();
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock);
        var taskId = await harness.SubmitPairAsync("cli/wait/cat");
        clock.Advance(TrackingHarness.Generation / 2);

        using var waiting = RunningCli.Start(harness.Settings, "status", taskId, "--wait", "--interval", "00:00:00.200");
        var progress = await waiting.WaitForLineAsync(l => l.Contains("in_progress", StringComparison.Ordinal), Patience);
        await harness.Tracking.RunUntilIdleAsync(); // the tracker finishes the task while the CLI watches
        var run = await waiting.WaitForExitAsync(Patience);

        Assert.True(run.ExitCode == 0, run.StandardError + run.StandardOutput);
        Assert.Equal($"{taskId}  in_progress, 44% done", progress); // 60 s of 120: queued for the first 12 s, then 48 of 108 s; a line, not a bar: stdout is a pipe
        var lines = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.StartsWith($"succeeded  videos/cli/wait/cat/{taskId}.mp4 (", lines[^1], StringComparison.Ordinal);
        Assert.DoesNotContain("sig=", run.StandardOutput + run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_wait_json_prints_an_object_per_change_ending_with_the_video()
    {
        var clock = TrackingHarness.Clock();
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock);
        var taskId = await harness.SubmitPairAsync("cli/waitjson/cat");

        using var waiting = RunningCli.Start(harness.Settings, "status", taskId, "--wait", "--json", "--interval", "00:00:00.200");
        await waiting.WaitForLineAsync(l => l.Contains("\"queued\"", StringComparison.Ordinal), Patience);
        await harness.Tracking.RunUntilIdleAsync();
        var run = await waiting.WaitForExitAsync(Patience);

        Assert.True(run.ExitCode == 0, run.StandardError + run.StandardOutput);
        var lines = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal("queued", lines[0]["generation"]!["status"]!.GetValue<string>());
        Assert.Equal("succeeded", lines[^1]["completion"]!.GetValue<string>());
        Assert.Equal($"cli/waitjson/cat/{taskId}.mp4", lines[^1]["video"]!["blob"]!.GetValue<string>());
    }

    [Fact]
    public async Task Status_wait_exits_2_when_the_generation_failed_and_says_why()
    {
        var clock = TrackingHarness.Clock();
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock);
        harness.Simulator.AddFaults(new SimulatedFault { FailGeneration = "No faces may be animated." });
        var taskId = await harness.SubmitPairAsync("cli/waitfail/cat");

        using var waiting = RunningCli.Start(harness.Settings, "status", taskId, "--wait", "--interval", "00:00:00.200");
        await waiting.WaitForLineAsync(l => l.Contains("queued", StringComparison.Ordinal), Patience);
        await harness.Tracking.RunUntilIdleAsync();
        var run = await waiting.WaitForExitAsync(Patience);

        Assert.True(run.ExitCode == 2, run.StandardError + run.StandardOutput);
        Assert.EndsWith("failed  generation_failed: No faces may be animated.", run.StandardOutput.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_wait_gives_up_at_its_timeout_with_exit_1_and_says_nobody_is_tracking()
    {
        var clock = TrackingHarness.Clock();
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock);
        var taskId = await harness.SubmitPairAsync("cli/waittimeout/cat");
        clock.Advance(TrackingHarness.Generation); // ModelStream is done; no tracker runs

        var run = await CliProcess.RunAsync(harness.Settings, "status", taskId, "--wait", "--interval", "00:00:00.200", "--timeout", "00:00:04");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"status: task {taskId} had not ended after --timeout 00:00:04", run.StandardError, StringComparison.Ordinal);
        Assert.Contains("waiting for the tracker", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Download_needs_only_storage_saves_the_video_byte_for_byte_and_refuses_to_replace_a_file_without_force()
    {
        var clock = TrackingHarness.Clock();
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock);
        var taskId = await harness.SubmitPairAsync("cli/download/cat");
        await harness.Tracking.RunUntilIdleAsync();
        var file = Path.Combine(_files.Path, "cat.mp4");

        // download reads storage only: no ModelStream setting, the key included, is needed.
        var storageOnly = new Dictionary<string, string?>(harness.Settings) { ["ModelStream:ApiKey"] = null, ["ModelStream:BaseUrl"] = null };
        var saved = await CliProcess.RunAsync(storageOnly, "download", taskId, "-o", file);
        var refused = await CliProcess.RunAsync(storageOnly, "download", taskId, "-o", file);
        File.WriteAllText(file, "something else");
        var forced = await CliProcess.RunAsync(harness.Settings, "download", taskId, "-o", file, "--force", "--json");

        Assert.True(saved.ExitCode == 0, saved.StandardError);
        Assert.Equal($"saved videos/cli/download/cat/{taskId}.mp4 ({ModelStreamSimulator.SampleVideoBytes.Length:N0} bytes) to {file}", saved.StandardOutput.Trim());
        Assert.Equal(2, refused.ExitCode);
        Assert.Equal($"download: {file} exists; pass --force to replace it, or -o to save elsewhere.", refused.StandardError.Trim());
        Assert.True(forced.ExitCode == 0, forced.StandardError);
        Assert.Equal(file, JsonNode.Parse(forced.StandardOutput)!["file"]!.GetValue<string>());
        Assert.Equal(ModelStreamSimulator.SampleVideoBytes.ToArray(), File.ReadAllBytes(file));
        Assert.False(File.Exists(file + ".part"));
    }

    [Fact]
    public async Task Download_of_a_task_that_failed_exits_2_naming_the_reason_and_writes_nothing()
    {
        var clock = TrackingHarness.Clock();
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock);
        harness.Simulator.AddFaults(new SimulatedFault { ExpireResult = true });
        var taskId = await harness.SubmitPairAsync("cli/downloadfail/cat");
        await harness.Tracking.RunUntilIdleAsync();
        var file = Path.Combine(_files.Path, "none.mp4");

        var run = await CliProcess.RunAsync(harness.Settings, "download", taskId, "-o", file);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"download: task {taskId} ended failed without a video (result_url_expired): ", run.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(file));
    }

    [Fact]
    public async Task Status_of_a_finished_task_shows_the_stored_video()
    {
        var clock = TrackingHarness.Clock();
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock);
        var taskId = await harness.SubmitPairAsync("cli/done/cat");
        await harness.Tracking.RunUntilIdleAsync();

        var run = await CliProcess.RunAsync(harness.Settings, "status", taskId);

        Assert.True(run.ExitCode == 0, run.StandardError);
        var lines = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains(lines, l => l.StartsWith("completion  succeeded at ", StringComparison.Ordinal));
        Assert.Contains($"video       videos/cli/done/cat/{taskId}.mp4 ({ModelStreamSimulator.SampleVideoBytes.Length:N0} bytes, video/mp4)", lines);
    }
}
