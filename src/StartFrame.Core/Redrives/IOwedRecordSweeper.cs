namespace StartFrame.Core.Redrives;

/// <summary>Writes the records the ledger owes (a queue outage after ModelStream took the task) that no redelivery wrote.</summary>
public interface IOwedRecordSweeper
{
    /// <summary>Settles every debt older than <paramref name="grace"/>; with <paramref name="dryRun"/> only says what it would do.</summary>
    Task<IReadOnlyList<OwedSweepItem>> SweepAsync(TimeSpan grace, bool dryRun, CancellationToken cancellationToken);
}
