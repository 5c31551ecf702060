using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using ModelStream.Simulator;
using StartFrame.Core.WaysIn;
using StartFrame.IntegrationTests.Infrastructure;
using StartFrame.LocalDev.InProcess;

namespace StartFrame.IntegrationTests;

/// <summary>The video-submissions queue that other pipelines feed — valid, invalid, transient, exhausted.</summary>
[Collection(StorageCollection.Name)]
public sealed class QueuePathTests(AzuriteFixture azurite)
{
    private static async Task<(PipelineHarness Harness, QueuePump Pump, QueueClient Poison)> StartAsync(AzuriteFixture azurite)
    {
        var harness = await PipelineHarness.StartAsync(azurite.Server, new Dictionary<string, string?> { ["ModelStream:MaxRetries"] = "0" });
        await harness.UploadImageAsync("queue/cat.png", TestImages.Png(640, 360));
        var poison = new QueueClient(azurite.Server.ConnectionString, "video-submissions-poison", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await poison.DeleteIfExistsAsync();
        var pump = QueuePumps.Submissions(harness.Submissions, poison, harness.Services.GetRequiredService<ISubmissionQueueProcessor>());
        return (harness, pump, poison);
    }

    [Fact]
    public async Task Valid_message_becomes_one_task_record_with_origin_queue_and_its_correlation_id()
    {
        var (harness, pump, _) = await StartAsync(azurite);
        await using var _h = harness;
        await harness.Submissions.SendMessageAsync("""{"blob": "start-frames/queue/cat.png", "prompt": "q", "correlationId": "pipeline-7"}""");

        Assert.Equal(1, await pump.DrainAsync());

        var record = Assert.Single(await PipelineHarness.PeekAllAsync(harness.Tasks));
        Assert.Equal("queue", record["origin"]!.GetValue<string>());
        Assert.Equal("pipeline-7", record["correlationId"]!.GetValue<string>());
        Assert.Equal("pipeline-7", harness.Simulator.Requests[0].Headers["X-Correlation-Id"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData(", \"idempotencyKey\": \"pipeline-key-1\"")]
    public async Task A_message_sent_again_from_a_new_span_submits_once(string key)
    {
        // A sender retrying its send starts a new span: the same submission with another traceparent is not a second video.
        var (harness, pump, poison) = await StartAsync(azurite);
        await using var _h = harness;
        foreach (var span in new[] { "00f067aa0ba902b7", "b7ad6b7169203331" })
        {
            await harness.Submissions.SendMessageAsync($$"""{"blob": "start-frames/queue/cat.png", "prompt": "q", "traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-{{span}}-01"{{key}}}""");
        }

        Assert.InRange(await pump.DrainAsync(), 2, 4); // the second may meet the first's live claim and come back once

        Assert.Single(harness.Simulator.Requests);
        Assert.Single(await PipelineHarness.PeekAllAsync(harness.Tasks));
        Assert.Empty(await PipelineHarness.PeekAllAsync(harness.Failures)); // a replay, not a key conflict
        Assert.False(await poison.ExistsAsync()); // nothing was poisoned
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"blob": "start-frames/queue/cat.png", "duration": 99}""")]
    public async Task Invalid_message_becomes_a_failure_record_not_a_poison_retry(string message)
    {
        var (harness, pump, poison) = await StartAsync(azurite);
        await using var _h = harness;
        await harness.Submissions.SendMessageAsync(message);

        Assert.Equal(1, await pump.DrainAsync());

        var failure = Assert.Single(await PipelineHarness.PeekAllAsync(harness.Failures));
        Assert.Equal("queue", failure["origin"]!.GetValue<string>());
        Assert.Equal("validation", failure["stage"]!.GetValue<string>());
        Assert.Empty(await RecordSchemas.FailureRecordErrorsAsync(failure.ToJsonString()));
        Assert.False(await poison.ExistsAsync());
        Assert.Equal(0, harness.Simulator.PostCount);
    }

    [Fact]
    public async Task Transient_failure_is_retried_by_the_queue_and_submits_once()
    {
        var (harness, pump, _) = await StartAsync(azurite);
        await using var _h = harness;
        harness.Simulator.AddFaults(new SimulatedFault { Status = 503 });
        await harness.Submissions.SendMessageAsync("""{"blob": "start-frames/queue/cat.png"}""");

        Assert.Equal(2, await pump.DrainAsync());

        Assert.Single(await PipelineHarness.PeekAllAsync(harness.Tasks));
        Assert.Equal(2, harness.Simulator.PostCount); // the 503 was not processed, the retry was
    }

    [Fact]
    public async Task Exhausted_retries_land_on_the_poison_queue_with_nothing_recorded()
    {
        var (harness, pump, poison) = await StartAsync(azurite);
        await using var _h = harness;
        harness.Simulator.AddFaults(new SimulatedFault { Status = 503, Times = 0 });
        await harness.Submissions.SendMessageAsync("""{"blob": "start-frames/queue/cat.png"}""");

        Assert.Equal(QueuePumps.HostJsonSettings.MaxDequeueCount, await pump.DrainAsync());

        Assert.Single((await poison.PeekMessagesAsync(32)).Value);
        Assert.Empty(await PipelineHarness.PeekAllAsync(harness.Tasks));
        Assert.Empty(await PipelineHarness.PeekAllAsync(harness.Failures));
    }

    [Fact]
    public async Task Poisoned_submission_replayed_by_redrive_ends_as_exactly_one_record()
    {
        var (harness, pump, poison) = await StartAsync(azurite);
        await using var _h = harness;
        harness.Simulator.AddFaults(new SimulatedFault { Status = 503, Times = 0 });
        await harness.Submissions.SendMessageAsync("""{"blob": "start-frames/queue/cat.png", "correlationId": "replay-1"}""");
        await pump.DrainAsync();
        Assert.Single((await poison.PeekMessagesAsync(32)).Value);

        harness.Simulator.ClearFaults();
        var redrive = await CliProcess.RunAsync(harness.Settings, "redrive", "--poison");
        Assert.True(redrive.ExitCode == 0, redrive.StandardError);
        Assert.Empty((await poison.PeekMessagesAsync(32)).Value);
        await pump.DrainAsync();
        var again = await CliProcess.RunAsync(harness.Settings, "redrive", "--poison");

        Assert.Equal(0, again.ExitCode);
        var record = Assert.Single(await PipelineHarness.PeekAllAsync(harness.Tasks));
        Assert.Equal("replay-1", record["correlationId"]!.GetValue<string>());
        Assert.Equal("queue", record["origin"]!.GetValue<string>());
    }
}
