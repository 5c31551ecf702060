using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using StartFrame.Core;
using StartFrame.Core.WaysIn;
using StartFrame.IntegrationTests.Infrastructure;

namespace StartFrame.IntegrationTests.Hostile;

/// <summary>A name given twice is invalid JSON for us: refused where it comes in (400, a failure record, exit 2), and
/// listed with its problem where an operator looks (records, failures), never an exception that hides the rest.</summary>
[Collection(StorageCollection.Name)]
public sealed class DuplicateKeyTests(AzuriteFixture azurite)
{
    private const string Twice = """{"blob": "start-frames/dup/cat.png", "duration": 5, "duration": 8}""";

    [Fact]
    public async Task An_HTTP_body_with_a_duplicate_key_is_a_400_invalid_json_naming_the_key()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        await harness.UploadImageAsync("dup/cat.png", TestImages.Png(640, 360));

        var response = await HttpCall.RunAsync(harness.Services.GetRequiredService<IVideoApi>().SubmitAsync(HttpCall.Post(Twice), CancellationToken.None));

        Assert.Equal(400, response.Status);
        Assert.Contains("invalid_json", response.Body, StringComparison.Ordinal);
        Assert.Contains("duration", response.Body, StringComparison.Ordinal);
        Assert.Contains("is given twice", response.Body, StringComparison.Ordinal);
        Assert.Equal(0, harness.Simulator.PostCount);
    }

    [Fact]
    public async Task A_queue_message_with_a_duplicate_key_becomes_one_failure_record_and_is_not_retried()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        await harness.UploadImageAsync("dup/cat.png", TestImages.Png(640, 360));

        await harness.Services.GetRequiredService<ISubmissionQueueProcessor>().ProcessAsync(Twice, "m-dup", 1, CancellationToken.None);

        var failure = Assert.Single(await PipelineHarness.PeekAllAsync(harness.Failures));
        Assert.Equal("invalid_json", failure["errors"]![0]!["code"]!.GetValue<string>());
        Assert.Contains("\"duration\" is given twice", failure["errors"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, harness.Simulator.PostCount);
    }

    [Fact]
    public async Task Submit_set_with_a_duplicate_key_exits_2_with_one_line()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        await harness.UploadImageAsync("dup/cat.png", TestImages.Png(640, 360));

        var run = await CliProcess.RunAsync(harness.Settings, "submit", "start-frames/dup/cat.png", "--set", """metadata={"seed": 1, "seed": 2}""");

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--set metadata", line, StringComparison.Ordinal);
        Assert.Contains("\"seed\" is given twice", line, StringComparison.Ordinal);
        Assert.Equal(0, harness.Simulator.PostCount);
    }

    [Theory]
    [InlineData("--completions", StartFrameOptions.CompletionsQueue)]
    [InlineData("failures", StartFrameOptions.FailuresQueue)]
    public async Task An_odd_message_is_listed_with_its_problem_and_the_others_are_shown(string command, string queue)
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var client = new Azure.Storage.Queues.QueueClient(azurite.Server.ConnectionString, queue, new Azure.Storage.Queues.QueueClientOptions { MessageEncoding = Azure.Storage.Queues.QueueMessageEncoding.Base64 });
        await client.CreateIfNotExistsAsync();
        await client.SendMessageAsync("""{"taskId": "t1", "status": "failed", "status": "succeeded"}""");
        await client.SendMessageAsync("""{"taskId": "t2", "status": "failed", "failedAt": "2026-01-01T00:00:00Z", "errors": []}""");
        await client.SendMessageAsync("{not json");

        var args = command == "failures" ? new[] { "failures", "--json" } : new[] { "records", command, "--json" };
        var run = await CliProcess.RunAsync(harness.Settings, args);

        Assert.True(run.ExitCode == 0, run.StandardError);
        var lines = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal(3, lines.Count);
        Assert.Contains("\"status\" is given twice", lines[0]["problem"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(lines[0]["record"]);
        Assert.Equal("t2", lines[1]["record"]!["taskId"]!.GetValue<string>());
        Assert.Contains("not valid JSON", lines[2]["problem"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
