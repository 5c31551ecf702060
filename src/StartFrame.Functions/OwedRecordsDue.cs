using Microsoft.Azure.Functions.Worker;
using StartFrame.Core.Redrives;
using StartFrame.Core.Storage;

namespace StartFrame.Functions;

/// <summary>Every 5 minutes: write the records the ledger owes after a queue outage that no redelivery came back for.</summary>
public sealed class OwedRecordsDue(IOwedRecordSweeper sweeper)
{
    /// <summary>Hands the sweep to the core. It never submits anything; a debt it cannot write yet stays for the next run.</summary>
    [Function(nameof(OwedRecordsDue))]
    public Task Run([TimerTrigger(TriggerTable.OwedRecordsSchedule)] TimerInfo timer, FunctionContext context)
    {
        return sweeper.SweepAsync(OwedRecordSweeper.DefaultGrace, dryRun: false, context.CancellationToken);
    }
}
