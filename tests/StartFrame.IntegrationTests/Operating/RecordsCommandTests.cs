using System.Text.Json.Nodes;
using StartFrame.IntegrationTests.Hostile;
using StartFrame.IntegrationTests.Infrastructure;
using StartFrame.IntegrationTests.Tracking;
using static StartFrame.IntegrationTests.Operating.CliLines;

namespace StartFrame.IntegrationTests.Operating;

/// <summary><c>startframe records</c> peeks task and completion records in both forms and takes nothing off their queues.</summary>
[Collection(StorageCollection.Name)]
public sealed class RecordsCommandTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Records_shows_task_and_completion_records_inline_and_by_pointer_and_leaves_every_message_where_it_was()
    {
        var clock = TrackingHarness.Clock();
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock);
        var small = await harness.SubmitPairAsync("r/small");
        await harness.Tracking.RunUntilIdleAsync();
        var prompt = new string('猫', 21_000); // a task record over 48 KiB: stored in video-records, a pointer on the queue
        var large = await harness.SubmitPairAsync("r/large", HostileInputs.SidecarWithPrompt(prompt));

        var run = await CliProcess.RunAsync(harness.Settings, "records", "--tasks", "--completions", "--json");

        Assert.True(run.ExitCode == 0, run.StandardError);
        var lines = Json(run);
        var tasks = lines.Where(l => Text(l, "queue") == "video-tasks").ToDictionary(l => Text(l, "taskId")!);
        Assert.Equal("inline", Text(tasks[small], "form"));
        Assert.Equal("pointer", Text(tasks[large], "form"));
        Assert.StartsWith("tasks/", Text(tasks[large]["recordBlob"], "blob"), StringComparison.Ordinal);
        Assert.Equal(prompt, tasks[large]["record"]!["parameters"]!["prompt"]!.GetValue<string>());
        var completion = Assert.Single(lines, l => Text(l, "queue") == "video-completions");
        Assert.Equal((small, "succeeded"), (Text(completion, "taskId"), Text(completion["record"], "status")));
        Assert.All(lines, l => Assert.Equal(0, l["dequeueCount"]!.GetValue<long>()));

        // A peek hides nothing and counts nothing: a consumer still finds every message, never received before.
        var still = (await harness.Tasks.PeekMessagesAsync(32)).Value;
        Assert.Equal(2, still.Length);
        Assert.All(still, m => Assert.Equal(0, m.DequeueCount));
        Assert.Single((await harness.Completions.PeekMessagesAsync(32)).Value);
    }

    [Fact]
    public async Task Records_prints_a_table_and_says_how_much_of_each_queue_it_saw()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var taskId = await harness.SubmitPairAsync("r/cat");

        var run = await CliProcess.RunAsync(harness.Settings, "records");

        Assert.True(run.ExitCode == 0, run.StandardError);
        var lines = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches("^QUEUE +INSERTED +TASK +STATUS +RECORD$", lines[0]);
        Assert.Matches($"^video-tasks +\\d{{4}}-.+Z  {taskId} +queued +start-frames/r/cat\\.png \\(blob, viduq2-pro-fast\\)$", lines[1]);
        Assert.Equal(["video-tasks: 1 record.", "video-completions: 0 records.", "video-task-failures: 0 records."], lines[2..]);
    }

    [Fact]
    public async Task Records_says_when_a_queue_holds_more_than_a_peek_can_see()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        for (var i = 0; i < 34; i++)
        {
            await harness.Tasks.SendMessageAsync($$"""{"schemaVersion":1,"taskId":"t{{i}}","status":"queued"}""");
        }

        var run = await CliProcess.RunAsync(harness.Settings, "records", "--tasks", "--json");

        Assert.Equal(32, Json(run).Count);
        Assert.Contains("video-tasks: the first 32 of about 34 messages (a peek sees at most the first 32 visible ones", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_that_is_not_a_record_is_reported_and_the_others_still_shown()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var taskId = await harness.SubmitPairAsync("r/ok");
        await new Azure.Storage.Queues.QueueClient(harness.Azurite.ConnectionString, "video-tasks").SendMessageAsync("not base64!");

        var run = await CliProcess.RunAsync(harness.Settings, "records", "--tasks", "--json");

        var lines = Json(run);
        Assert.Equal(taskId, Text(lines[0], "taskId"));
        Assert.StartsWith("the message is not base64", Text(lines[1], "problem"), StringComparison.Ordinal);
        Assert.Null(lines[1]["record"]);
    }
}
