using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using StartFrame.Cli.Commands.Operating;
using StartFrame.Core.WaysIn;
using StartFrame.IntegrationTests.Infrastructure;

namespace StartFrame.IntegrationTests.Cli;

/// <summary><c>startframe redrive --poison</c>, run as the real CLI process: poison messages back onto video-submissions.</summary>
[Collection(StorageCollection.Name)]
public sealed class PoisonRedriveCommandTests(AzuriteFixture azurite)
{
    private const string WithoutKey = """{"imageUrl": "https://images.example.com/frames/cat.png", "prompt": "the cat yawns"}""";
    private const string WithKey = """{"imageUrl": "https://images.example.com/frames/owl.png", "idempotencyKey": "owl-001"}""";

    [Fact]
    public async Task Poison_redrive_moves_every_message_back_unchanged_naming_the_key_each_will_claim()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var poison = await FreshPoisonQueueAsync(harness);
        var withoutKey = (await poison.SendMessageAsync(WithoutKey)).Value.MessageId;
        var withKey = (await poison.SendMessageAsync(WithKey)).Value.MessageId;
        var derived = SubmissionKeys.DefaultQueueKey(JsonNode.Parse(WithoutKey)!.AsObject());

        var run = await CliProcess.RunAsync(harness.Settings, "redrive", "--poison", "--json");

        Assert.True(run.ExitCode == 0, run.StandardError);
        var lines = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal([(withoutKey, "moved", derived, true), (withKey, "moved", "owl-001", false)],
            lines.Select(l => (l["messageId"]!.GetValue<string>(), l["status"]!.GetValue<string>(), l["idempotencyKey"]!.GetValue<string>(), l["keyDerived"]!.GetValue<bool>())));
        Assert.Contains("2 messages: 2 moved to video-submissions, 0 failed.", run.StandardError, StringComparison.Ordinal);
        Assert.Empty((await poison.PeekMessagesAsync(32)).Value);

        // Moved as they were: the key of a message without one is derived from its body, the same before and after.
        var moved = (await harness.Submissions.PeekMessagesAsync(32)).Value.Select(m => m.Body.ToString()).ToList();
        Assert.Equal([WithoutKey, WithKey], moved);
        await poison.DeleteAsync();
    }

    [Fact]
    public async Task Poison_dry_run_lists_the_messages_and_moves_nothing()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var poison = await FreshPoisonQueueAsync(harness);
        var id = (await poison.SendMessageAsync(WithoutKey)).Value.MessageId;

        var run = await CliProcess.RunAsync(harness.Settings, "redrive", "--poison", "video-submissions-poison", "--dry-run");

        Assert.True(run.ExitCode == 0, run.StandardError);
        var lines = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"would move {id} (poisoned ", lines[0], StringComparison.Ordinal);
        Assert.EndsWith($"idempotencyKey {SubmissionKeys.DefaultQueueKey(JsonNode.Parse(WithoutKey)!.AsObject())} (derived from the body))", lines[0], StringComparison.Ordinal);
        Assert.Equal("1 message would be moved to video-submissions; dry run, nothing changed.", lines[1]);
        Assert.Single((await poison.PeekMessagesAsync(32)).Value);
        Assert.Empty(await PipelineHarness.PeekAllAsync(harness.Submissions));
        await poison.DeleteAsync();
    }

    [Fact]
    public async Task A_poison_message_that_is_not_json_is_moved_unchanged_and_said_so()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var poison = await FreshPoisonQueueAsync(harness);
        await poison.SendMessageAsync("not json at all");

        var run = await CliProcess.RunAsync(harness.Settings, "redrive", "--poison");

        Assert.True(run.ExitCode == 0, run.StandardError);
        Assert.Contains("not a JSON object: moved unchanged", run.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("not json at all", Assert.Single((await harness.Submissions.PeekMessagesAsync(32)).Value).Body.ToString());
        Assert.Empty((await poison.PeekMessagesAsync(32)).Value);
        await poison.DeleteAsync();
    }

    [Fact]
    public void Redrive_without_a_blob_or_poison_exits_2_saying_what_to_give()
    {
        var run = CliRunner.Run(RedriveCommand.Create(), "redrive");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("redrive: give the image to redrive (e.g. start-frames/cats/cat.png), --poison to replay the poison queue, --dead-letter to process dead-lettered events, or --owed to write owed records.", run.Error.Trim());
    }

    [Fact]
    public void Redrive_with_both_a_blob_and_poison_exits_2()
    {
        var run = CliRunner.Run(RedriveCommand.Create(), "redrive", "start-frames/cat.png", "--poison");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("redrive: give either a blob or --poison, not both", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_poisoned_tracking_message_goes_back_onto_video_tracking_unchanged()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var poison = await FreshPoisonQueueAsync(harness, "video-tracking-poison");
        const string tracking = """{"schemaVersion":1,"taskId":"abc123def456","ledgerPartitionKey":"b:x","ledgerRowKey":"-"}""";
        await poison.SendMessageAsync(tracking);

        var run = await CliProcess.RunAsync(harness.Settings, "redrive", "--poison", "video-tracking-poison", "--json");

        Assert.True(run.ExitCode == 0, run.StandardError);
        Assert.Contains("1 message: 1 moved to video-tracking, 0 failed.", run.StandardError, StringComparison.Ordinal);
        Assert.Equal([tracking], (await harness.TrackingQueue.PeekMessagesAsync(32)).Value.Select(m => m.Body.ToString()));
        Assert.Empty((await harness.Submissions.PeekMessagesAsync(32)).Value);
        await poison.DeleteAsync();
    }

    [Fact]
    public async Task A_queue_that_is_no_trigger_poison_queue_is_refused_naming_the_ones_that_are()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);

        var run = await CliProcess.RunAsync(harness.Settings, "redrive", "--poison", "video-tasks");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(
            "redrive: --poison takes the poison queue of one of the app's queue triggers: video-submissions-poison, upload-rechecks-poison, video-tracking-poison; got 'video-tasks'.",
            run.StandardError.Trim());
    }

    private static async Task<QueueClient> FreshPoisonQueueAsync(PipelineHarness harness, string name = PoisonRedrive.DefaultQueue)
    {
        var poison = new QueueClient(harness.Azurite.ConnectionString, name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await poison.DeleteIfExistsAsync();
        await poison.CreateAsync();
        return poison;
    }
}
