using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using StartFrame.Core.WaysIn;
using StartFrame.IntegrationTests.Infrastructure;

namespace StartFrame.IntegrationTests.Hostile;

/// <summary>One odd message never stops a poison redrive, a dry run hides nothing, and keys survive the move.</summary>
[Collection(StorageCollection.Name)]
public sealed class PoisonRedriveOddMessagesTests(AzuriteFixture azurite)
{
    private const string Good1 = """{"imageUrl": "https://images.example.com/a.png", "idempotencyKey": "odd-a"}""";
    private const string Good2 = """{"imageUrl": "https://images.example.com/b.png"}""";

    private static async Task<(QueueClient Encoded, QueueClient Raw)> FreshPoisonAsync(PipelineHarness harness)
    {
        var encoded = new QueueClient(harness.Azurite.ConnectionString, "video-submissions-poison", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var raw = new QueueClient(harness.Azurite.ConnectionString, "video-submissions-poison");
        await encoded.DeleteIfExistsAsync();
        await encoded.CreateAsync();
        return (encoded, raw);
    }

    [Fact]
    public async Task A_message_that_is_not_base64_is_reported_and_left_visible_while_the_others_move()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var (poison, raw) = await FreshPoisonAsync(harness);
        await poison.SendMessageAsync(Good1);
        var odd = (await raw.SendMessageAsync("this is not base64 {{{")).Value.MessageId;
        await poison.SendMessageAsync(Good2);

        var run = await CliProcess.RunAsync(harness.Settings, "redrive", "--poison", "--json");

        Assert.True(run.ExitCode == 1, run.StandardOutput + run.StandardError);
        Assert.DoesNotContain("   at ", run.StandardError, StringComparison.Ordinal);
        var lines = HostileInputs.Lines(run.StandardOutput).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(3, lines.Count);
        Assert.Equal("skipped", lines.Single(l => l["messageId"]!.GetValue<string>() == odd)["status"]!.GetValue<string>());
        Assert.Equal(2, (await harness.Submissions.PeekMessagesAsync(32)).Value.Length);
        var left = Assert.Single((await raw.PeekMessagesAsync(32)).Value);
        Assert.Equal("this is not base64 {{{", left.Body.ToString());
    }

    [Fact]
    public async Task A_dry_run_lists_odd_messages_too_and_hides_nothing()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var (poison, raw) = await FreshPoisonAsync(harness);
        await raw.SendMessageAsync("%%% not base64");
        await poison.SendMessageAsync(Good1);

        var run = await CliProcess.RunAsync(harness.Settings, "redrive", "--poison", "--dry-run", "--json");

        Assert.True(run.ExitCode is 0 or 1, run.StandardOutput + run.StandardError);
        Assert.Equal(2, HostileInputs.Lines(run.StandardOutput).Length);
        Assert.Equal(2, (await raw.PeekMessagesAsync(32)).Value.Length);
        Assert.Empty((await harness.Submissions.PeekMessagesAsync(32)).Value);
    }

    [Fact]
    public async Task A_message_without_a_key_keeps_its_key_across_a_redrive_so_it_is_never_charged_twice()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server, PipelineHarness.HttpImageUrls);
        var (poison, _) = await FreshPoisonAsync(harness);
        var processor = harness.Services.GetRequiredService<ISubmissionQueueProcessor>();
        var withoutKey = new JsonObject { ["imageUrl"] = (await harness.ImageUrlAsync("b.png")).AbsoluteUri }.ToJsonString();
        await processor.ProcessAsync(withoutKey, "first-delivery-id", 1, CancellationToken.None);
        Assert.Equal(1, harness.Simulator.PostCount);
        await poison.SendMessageAsync(withoutKey); // the host's copy of the same body, under a new message id

        var run = await CliProcess.RunAsync(harness.Settings, "redrive", "--poison");
        Assert.True(run.ExitCode == 0, run.StandardOutput + run.StandardError);
        var moved = Assert.Single((await harness.Submissions.ReceiveMessagesAsync(32)).Value);
        await processor.ProcessAsync(moved.Body.ToString(), moved.MessageId, 1, CancellationToken.None);

        Assert.Equal(1, harness.Simulator.PostCount);
        Assert.Single(await PipelineHarness.PeekAllAsync(harness.Tasks));
    }
}
