using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using ModelStream.Simulator;
using StartFrame.Core.Ledger;
using StartFrame.Core.Polling;
using StartFrame.Core.Status;
using StartFrame.Core.Tracking;
using StartFrame.Core.WaysIn;
using StartFrame.IntegrationTests.Infrastructure;
using StartFrame.IntegrationTests.Tracking;

namespace StartFrame.IntegrationTests.Hostile;

/// <summary>Task ids and poll answers from the provider, on the read side and in tracking: an id that cannot be polled is
/// dropped or reported, never an exception per delivery; an answer over the bound is unreadable, never read whole.</summary>
[Collection(StorageCollection.Name)]
public sealed class ProviderTaskIdTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("..")]
    [InlineData("a/b")]
    public async Task A_tracking_message_whose_task_id_cannot_be_polled_is_dropped_not_retried_into_poison(string taskId)
    {
        var clock = TrackingHarness.Clock();
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock);
        var message = TrackingQueueClient.Serialize(new TrackingMessage
        {
            TaskId = taskId,
            LedgerPartitionKey = "p",
            LedgerRowKey = "r",
            SubmittedAt = clock.GetUtcNow(),
            DueAt = clock.GetUtcNow(),
            CorrelationId = "c",
        });

        var outcome = await harness.Tracker.TrackAsync(message, 1, CancellationToken.None);

        Assert.Equal(TrackingOutcomeStatus.Dropped, outcome.Status);
        Assert.Contains("taskId cannot be polled", outcome.Detail, StringComparison.Ordinal);
        Assert.Equal(0, harness.Simulator.PollCount);
        Assert.Contains(harness.Logs.Lines, l => l.Contains("[1110]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Status_of_a_task_whose_id_cannot_be_polled_shows_the_ledger_and_says_why_not()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var taskId = await harness.SubmitPairAsync("ids/cat");
        var entity = (await harness.Ledger.QueryAsync<TableEntity>(e => e.GetString(nameof(LedgerEntry.TaskId)) == taskId).ToListAsync()).Single();
        entity[nameof(LedgerEntry.TaskId)] = "not one segment";
        await harness.Ledger.UpdateEntityAsync(entity, Azure.ETag.All, TableUpdateMode.Merge);

        var read = await harness.Services.GetRequiredService<VideoStatusReader>().ReadAsync("not one segment", CancellationToken.None);

        Assert.NotNull(read);
        Assert.Null(read.Status.Generation);
        Assert.Contains("cannot be polled", read.GenerationProblem, StringComparison.Ordinal);
        Assert.Equal(0, harness.Simulator.PollCount);
    }

    [Fact]
    public async Task Status_and_GET_read_a_poll_answer_over_the_bound_as_unreadable_and_show_what_the_ledger_knows()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var taskId = await harness.SubmitPairAsync("bound/cat");
        harness.Simulator.AddFaults(new SimulatedFault { On = SimulatedFaultTarget.Poll, Length = 8_000_000, Times = 2 });

        var read = await harness.Services.GetRequiredService<VideoStatusReader>().ReadAsync(taskId, CancellationToken.None);
        var answer = await HttpCall.RunAsync(harness.Services.GetRequiredService<IVideoApi>().GetAsync(taskId, CancellationToken.None));

        Assert.NotNull(read);
        Assert.Null(read.Status.Generation);
        Assert.Contains("larger than the 1,048,576 bytes allowed", read.GenerationProblem, StringComparison.Ordinal);
        Assert.Equal(200, answer.Status);
        Assert.Equal(taskId, answer.Json["taskId"]!.GetValue<string>());
        Assert.Null(answer.Json["generation"]);
        Assert.Equal(2, harness.Simulator.PollCount);
    }
}
