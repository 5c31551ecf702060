using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using ModelStream.Simulator;
using StartFrame.Core.Submitting;
using StartFrame.Core.WaysIn;
using StartFrame.IntegrationTests.Infrastructure;

namespace StartFrame.IntegrationTests.Hostile;

/// <summary>A delivery that meets another run's live claim makes sure someone looks again once the lease ends.</summary>
[Collection(StorageCollection.Name)]
public sealed class LiveClaimTests(AzuriteFixture azurite)
{
    /// <summary>Leaves a claim as a run that crashed mid-POST would: the POST reached ModelStream, the run never finished.</summary>
    private static async Task CrashMidPostAsync(PipelineHarness harness, Func<CancellationToken, Task> run)
    {
        harness.Simulator.AddFaults(new SimulatedFault { DelayMs = 30_000 });
        using var crash = new CancellationTokenSource();
        var running = run(crash.Token);
        using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            while (harness.Simulator.PostCount == 0)
            {
                await Task.Delay(10, deadline.Token);
            }
        }

        await crash.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        harness.Simulator.ClearFaults();
    }

    [Fact]
    public async Task A_blob_delivery_meeting_a_live_claim_schedules_a_recheck_for_when_the_lease_ends()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server, new Dictionary<string, string?> { ["ModelStream:AttemptTimeout"] = "00:01:00", ["StartFrame:LiveClaimWait"] = "00:00:01" });
        await harness.UploadSidecarAsync("live.json", Sidecars.Valid);
        var image = await harness.UploadImageAsync("live.png", TestImages.Png(640, 360));
        await CrashMidPostAsync(harness, token => harness.Processor.ProcessBlobAsync(image, null, token));

        var outcome = await harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None);

        Assert.Equal(OutcomeStatus.InProgress, outcome.Status);
        Assert.InRange(outcome.RetryAfter!.Value, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));
        var rechecks = new QueueClient(azurite.Server.ConnectionString, "upload-rechecks", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var properties = (await rechecks.GetPropertiesAsync()).Value;
        Assert.Equal(1, properties.ApproximateMessagesCount);
        Assert.Empty((await rechecks.PeekMessagesAsync()).Value); // not due before the lease ends
        Assert.Equal(1, harness.Simulator.PostCount);
    }

    [Fact]
    public async Task The_recheck_comes_due_when_the_lease_ends_and_settles_a_crashed_claim_as_ambiguous()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server, new Dictionary<string, string?>
        {
            ["ModelStream:AttemptTimeout"] = "00:01:00",
            ["StartFrame:ClaimLease"] = "00:00:02",
            ["StartFrame:LiveClaimWait"] = "00:00:01",
        });
        await harness.UploadSidecarAsync("due.json", Sidecars.Valid);
        var image = await harness.UploadImageAsync("due.png", TestImages.Png(640, 360));
        await CrashMidPostAsync(harness, token => harness.Processor.ProcessBlobAsync(image, null, token));
        var met = await harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None);
        Assert.Equal(OutcomeStatus.InProgress, met.Status);

        // What UploadRecheckDue does with the message once it becomes visible, after the lease.
        var rechecks = new QueueClient(azurite.Server.ConnectionString, "upload-rechecks", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var due = await ReceiveWhenVisibleAsync(rechecks, TimeSpan.FromSeconds(30));
        await harness.Services.GetRequiredService<StartFrame.Core.WaysIn.IRecheckQueueProcessor>().ProcessAsync(due.Body.ToString(), CancellationToken.None);

        var failure = Assert.Single(await PipelineHarness.PeekAllAsync(harness.Failures));
        Assert.Equal("claim_expired", failure["errors"]![0]!["code"]!.GetValue<string>());
        Assert.Equal("ambiguous", (await harness.LedgerEntryOfAsync(image))!.State);
        Assert.Equal(1, harness.Simulator.PostCount);
    }

    /// <summary>Receives the next message as soon as it becomes visible (it is invisible until the lease ends).</summary>
    private static async Task<Azure.Storage.Queues.Models.QueueMessage> ReceiveWhenVisibleAsync(QueueClient queue, TimeSpan limit)
    {
        using var deadline = new CancellationTokenSource(limit);
        while (true)
        {
            var messages = (await queue.ReceiveMessagesAsync(1, TimeSpan.FromMinutes(1), deadline.Token)).Value;
            if (messages.Length == 1)
            {
                return messages[0];
            }

            await Task.Delay(100, deadline.Token);
        }
    }

    [Fact]
    public async Task A_queue_delivery_meeting_a_live_claim_fails_asking_for_the_rest_of_the_lease()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server, new Dictionary<string, string?> { ["ModelStream:AttemptTimeout"] = "00:01:00", ["StartFrame:LiveClaimWait"] = "00:00:01" });
        var processor = harness.Services.GetRequiredService<ISubmissionQueueProcessor>();
        const string Message = """{"imageUrl": "https://images.example.com/cat.png", "idempotencyKey": "live-1"}""";
        await CrashMidPostAsync(harness, token => processor.ProcessAsync(Message, "m-1", 1, token));

        var ex = await Assert.ThrowsAsync<TransientSubmissionException>(() => processor.ProcessAsync(Message, "m-1", 2, CancellationToken.None));

        Assert.InRange(ex.RetryAfter!.Value, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));
        Assert.Equal(1, harness.Simulator.PostCount);
    }

    [Fact]
    public async Task Process_run_again_after_a_killed_process_exits_1_with_the_time_to_retry()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        await harness.UploadSidecarAsync("killed.json", Sidecars.Valid);
        await harness.UploadImageAsync("killed.png", TestImages.Png(640, 360));
        var settings = new Dictionary<string, string?>(harness.Settings) { ["ModelStream:AttemptTimeout"] = "00:01:00" };
        harness.Simulator.AddFaults(new SimulatedFault { DelayMs = 60_000 });
        using (var first = CliProcess.Start(settings, "process", "start-frames/killed.png"))
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (harness.Simulator.PostCount == 0)
            {
                await Task.Delay(20, deadline.Token);
            }

            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync(deadline.Token);
        }

        harness.Simulator.ClearFaults();
        var again = await CliProcess.RunAsync(settings, "process", "start-frames/killed.png", "--json");

        Assert.Equal(1, again.ExitCode);
        var line = JsonNode.Parse(HostileInputs.Lines(again.StandardOutput).Single())!;
        Assert.Equal("in_progress", line["status"]!.GetValue<string>());
        Assert.InRange(line["retryAfterSeconds"]!.GetValue<int>(), 500, 600);
        Assert.Equal(1, harness.Simulator.PostCount);
    }
}
