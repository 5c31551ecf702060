using System.Text.Json.Nodes;
using StartFrame.IntegrationTests.Infrastructure;
using StartFrame.LocalDev;

namespace StartFrame.IntegrationTests.Cli;

/// <summary><c>startframe status</c>, run as the real CLI process: the ledger's view plus ModelStream's current status.</summary>
[Collection(StorageCollection.Name)]
public sealed class StatusCommandTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Status_of_a_submitted_task_shows_the_ledger_and_ModelStreams_current_status()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var taskId = await SubmitOneAsync(harness, "status/cat");

        var run = await CliProcess.RunAsync(harness.Settings, "status", taskId);

        Assert.True(run.ExitCode == 0, run.StandardError);
        Assert.Equal("", run.StandardError);
        var lines = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains($"task        {taskId}", lines);
        Assert.Contains("state       recorded (ledger)", lines);
        Assert.Contains("origin      blob", lines);
        Assert.Contains("model       viduq2-pro-fast", lines);
        Assert.Contains(lines, l => l.StartsWith("source      start-frames/status/cat.png (etag ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("parameters  ", StringComparison.Ordinal) && l.Contains("duration=5", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("correlation ", StringComparison.Ordinal));
        Assert.Contains("modelstream queued, 0% done", lines);
    }

    [Fact]
    public async Task Status_json_is_the_ledger_view_with_ModelStreams_generation_state()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var taskId = await SubmitOneAsync(harness, "status/json");

        var run = await CliProcess.RunAsync(harness.Settings, "status", taskId, "--json");

        Assert.True(run.ExitCode == 0, run.StandardError);
        var status = JsonNode.Parse(run.StandardOutput)!.AsObject();
        Assert.Equal(taskId, status["taskId"]!.GetValue<string>());
        Assert.Equal("recorded", status["state"]!.GetValue<string>());
        Assert.Equal("blob", status["origin"]!.GetValue<string>());
        Assert.Equal("status/json.png", status["source"]!["blob"]!.GetValue<string>());
        Assert.Equal(5, status["parameters"]!["duration"]!.GetValue<int>());
        Assert.NotNull(status["submittedAt"]);
        Assert.NotNull(status["correlationId"]);
        Assert.Equal("queued", status["generation"]!["status"]!.GetValue<string>());
        Assert.Equal(0, status["generation"]!["progress"]!.GetValue<int>());
        Assert.Null(status["video"]);
    }

    [Fact]
    public async Task Status_still_prints_the_ledger_and_exits_0_when_ModelStream_cannot_be_asked()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var taskId = await SubmitOneAsync(harness, "status/offline");
        var nobodyListens = FreePorts.Allocate(1)[0];
        var settings = new Dictionary<string, string?>(harness.Settings) { ["ModelStream:BaseUrl"] = $"http://127.0.0.1:{nobodyListens}/" };

        var run = await CliProcess.RunAsync(settings, "status", taskId);

        Assert.True(run.ExitCode == 0, run.StandardError);
        Assert.Contains($"task        {taskId}", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("modelstream could not be asked (see stderr)", run.StandardOutput, StringComparison.Ordinal);
        // Contains, not StartsWith: the host's console logger may add its own retry warnings (see CoreHostFactory's log filters).
        Assert.Contains("ModelStream could not be asked for the current status", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_of_an_unknown_task_exits_2_with_one_line_on_stderr()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);

        var run = await CliProcess.RunAsync(harness.Settings, "status", "task-that-never-was");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.StandardOutput);
        var error = run.StandardError.TrimEnd();
        Assert.DoesNotContain('\n', error);
        Assert.StartsWith("status: no task 'task-that-never-was' in the ledger", error, StringComparison.Ordinal);
    }

    private static async Task<string> SubmitOneAsync(PipelineHarness harness, string stem)
    {
        await harness.UploadSidecarAsync(stem + ".json", Sidecars.Valid);
        var image = await harness.UploadImageAsync(stem + ".png", TestImages.Png(640, 360));
        var outcome = await harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None);
        return outcome.TaskId ?? throw new InvalidOperationException($"Not submitted: {outcome.Status} {outcome.Detail}");
    }
}
