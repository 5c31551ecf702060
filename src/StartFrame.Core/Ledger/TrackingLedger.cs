using Azure;
using Azure.Data.Tables;
using StartFrame.Core.Polling;
using StartFrame.Core.Records;
using StartFrame.Core.Redaction;

namespace StartFrame.Core.Ledger;

/// <summary>
/// The tracker's side of the ledger entry of a submission: a point read by the key the tracking message carries, the
/// completion claim (an ETag-checked update, so of two runs finishing the same task only one goes on), and its terminal
/// state. It writes only once the submission side is done with the entry (state <c>recorded</c> or <c>submitted</c>), and
/// through the same <see cref="LedgerRowRules"/> as the submission side; reads and final writes are the submission
/// side's own (<see cref="SubmissionLedger"/>).
/// </summary>
public sealed class TrackingLedger(SubmissionLedger ledger, TableServiceClient tables, TimeProvider timeProvider, Redactor redactor)
{
    private readonly TableClient _table = tables.GetTableClient(StartFrameOptions.LedgerTable);

    /// <summary>
    /// The entry of the message's task, or null: the entry the message points at, or — when that entry was taken again
    /// for a new take (<c>redrive --again</c>) and now holds another task — the archived copy of this task's take.
    /// </summary>
    public async Task<LedgerEntry?> GetAsync(TrackingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var entry = await ledger.GetAsync(new LedgerKey(message.LedgerPartitionKey, message.LedgerRowKey), cancellationToken).ConfigureAwait(false);
        if (entry is null || entry.TaskId == message.TaskId)
        {
            return entry;
        }

        var archived = LedgerKey.ArchivedTake(message.LedgerPartitionKey, message.LedgerRowKey, message.TaskId);
        return await ledger.GetAsync(archived, cancellationToken).ConfigureAwait(false) ?? entry;
    }

    /// <summary>Takes the completion claim on <paramref name="entry"/> as read; false when another run changed it since.</summary>
    public async Task<bool> TryClaimAsync(LedgerEntry entry, string claimId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var now = timeProvider.GetUtcNow();
        entry.TrackingState = CompletionStatuses.Finishing;
        entry.TrackingClaimId = claimId;
        entry.TrackingClaimedAt = now;
        entry.UpdatedAt = now;
        try
        {
            var response = await _table.UpdateEntityAsync(LedgerRowRules.Apply(entry, redactor), entry.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            entry.ETag = response.Headers.ETag ?? default;
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            return false;
        }
    }

    /// <summary>True when a run other than the caller holds a claim that has not outlived its lease.</summary>
    public bool IsClaimedByAnother(LedgerEntry entry, TimeSpan lease)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.TrackingState == CompletionStatuses.Finishing
            && entry.TrackingClaimedAt is { } claimedAt
            && claimedAt + lease > timeProvider.GetUtcNow();
    }

    /// <summary>Writes what the claim holder decided. The claim holder's word is final, so no ETag check.</summary>
    public Task SaveAsync(LedgerEntry entry, CancellationToken cancellationToken) => ledger.SaveAsync(entry, cancellationToken);
}
