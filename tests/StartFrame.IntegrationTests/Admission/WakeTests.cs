using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using StartFrame.Core;
using StartFrame.Core.Admission;
using StartFrame.Core.Tracking;
using StartFrame.Core.WaysIn;
using StartFrame.IntegrationTests.Infrastructure;

namespace StartFrame.IntegrationTests.Admission;

/// <summary>
/// A slot tracking gives back wakes the front of the waiting line at once: the re-check of the first upload in line is
/// made visible on the queue long before its own delay, the uploads behind it are left to theirs, and a receipt that
/// no longer holds is passed over without failing tracking. Re-checks keep their real visibility delay here (ten
/// minutes), so what is visible on the queue is what was woken; the fake clock moves only to tracking's polls.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class WakeTests(AzuriteFixture azurite)
{
    private static readonly Dictionary<string, string?> LongRecheckDelay = new() { ["StartFrame:SlotRecheckDelay"] = "00:10:00" };

    [Fact]
    public async Task A_slot_given_back_wakes_the_front_upload_and_not_the_one_behind()
    {
        await using var harness = await AdmissionHarness.StartAsync(azurite.Server, configuredLimit: 1, simulatorLimit: 1, LongRecheckDelay, realRecheckDelays: true);
        var (front, behind) = await OneSubmittedTwoWaitingAsync(harness);
        Assert.Empty(await VisibleRechecksAsync());

        var ended = await harness.First.Tracking.RunUntilIdleAsync();

        Assert.Equal(TrackingOutcomeStatus.Succeeded, ended[^1].Status);
        Assert.Equal(0, await harness.First.Services.GetRequiredService<ProviderSlots>().CountHeldAsync(CancellationToken.None));
        var woken = Assert.Single(await VisibleRechecksAsync());
        Assert.Equal(front.RecheckMessageId, woken.MessageId);
        Assert.NotEqual(behind.RecheckMessageId, woken.MessageId);
        Assert.True(harness.Clock.GetUtcNow() - front.LastLookAt < TimeSpan.FromMinutes(10), "woken before the fake clock reached its own look");
    }

    [Fact]
    public async Task A_stale_receipt_is_passed_over_and_tracking_still_ends_the_task()
    {
        await using var harness = await AdmissionHarness.StartAsync(azurite.Server, configuredLimit: 1, simulatorLimit: 1, LongRecheckDelay, realRecheckDelays: true);
        var (front, behind) = await OneSubmittedTwoWaitingAsync(harness);
        // Its message changed since its upload stood in line (as when it is being looked at): the receipt kept is stale.
        await Rechecks().UpdateMessageAsync(front.RecheckMessageId, front.RecheckPopReceipt, visibilityTimeout: TimeSpan.FromMinutes(10));

        var ended = await harness.First.Tracking.RunUntilIdleAsync();

        Assert.Equal(TrackingOutcomeStatus.Succeeded, ended[^1].Status);
        Assert.Single(await harness.First.CompletionRecordsAsync());
        Assert.Contains(harness.First.Logs.Lines, line => line.Contains("[1406]", StringComparison.Ordinal));
        // Passed over, the wake went to the next upload in line instead.
        Assert.Equal(behind.RecheckMessageId, Assert.Single(await VisibleRechecksAsync()).MessageId);
    }

    [Fact]
    public async Task A_wake_with_nobody_in_line_wakes_nobody()
    {
        await using var harness = await AdmissionHarness.StartAsync(azurite.Server, configuredLimit: 1, simulatorLimit: 1, LongRecheckDelay, realRecheckDelays: true);

        Assert.Equal(0, await harness.First.Services.GetRequiredService<LineWaker>().WakeAsync(1, CancellationToken.None));
    }

    /// <summary>Three uploads on a one-slot account: one submitted, two standing in line with their re-checks, first first.</summary>
    [Fact]
    public async Task An_upload_that_cannot_stand_in_line_still_waits_with_one_recheck_and_no_failure()
    {
        await using var harness = await AdmissionHarness.StartAsync(azurite.Server, configuredLimit: 1, simulatorLimit: 1, LongRecheckDelay, realRecheckDelays: true);
        Assert.NotNull(await harness.Second.GetRequiredService<ProviderSlots>().TryTakeAsync("another-run", CancellationToken.None));
        // Writing a row of the line fails (storage answers 503); everything else works.
        harness.First.StorageFaults.FailWhen(m => m.Request.Uri.Path.Contains(StartFrameOptions.ProviderSlotsTable + "(PartitionKey='" + WaitingLine.Partition + "'", StringComparison.Ordinal)
            && m.Request.Method == Azure.Core.RequestMethod.Put);

        var outcome = Assert.Single(await harness.DropFolderAsync(1, "no-stand"));

        // Not thrown: a run delivered again would queue a second re-check, and every look after it another.
        Assert.Equal(OutcomeStatus.WaitingForSlot, outcome.Status);
        Assert.Equal(1, (await Rechecks().GetPropertiesAsync()).Value.ApproximateMessagesCount);
        Assert.Contains(harness.First.Logs.Lines, l => l.Contains("[1408]", StringComparison.Ordinal));
    }

    private async Task<(WaitingUpload Front, WaitingUpload Behind)> OneSubmittedTwoWaitingAsync(AdmissionHarness harness)
    {
        var outcomes = await harness.DropFolderAsync(3);
        Assert.Single(outcomes, o => o.Status == OutcomeStatus.Submitted);
        Assert.Equal(2, outcomes.Count(o => o.Status == OutcomeStatus.WaitingForSlot));

        var line = new TableClient(azurite.Server.ConnectionString, StartFrameOptions.ProviderSlotsTable);
        var rows = new List<WaitingUpload>();
        await foreach (var row in line.QueryAsync<WaitingUpload>(r => r.PartitionKey == WaitingLine.Partition))
        {
            rows.Add(row);
        }

        Assert.Equal(2, rows.Count);
        Assert.All(rows, row => Assert.False(string.IsNullOrEmpty(row.RecheckMessageId) || string.IsNullOrEmpty(row.RecheckPopReceipt)));
        return (rows[0], rows[1]);
    }

    private QueueClient Rechecks() => new(azurite.Server.ConnectionString, StartFrameOptions.RechecksQueue);

    private async Task<IReadOnlyList<Azure.Storage.Queues.Models.PeekedMessage>> VisibleRechecksAsync() =>
        (await Rechecks().PeekMessagesAsync(32)).Value;
}
