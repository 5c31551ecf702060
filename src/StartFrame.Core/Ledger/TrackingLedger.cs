using Microsoft.Extensions.Options;
using StartFrame.Core.Records;

namespace StartFrame.Core.Ledger;

/// <summary>
/// The tracking side of a submission's ledger entry, as intents: find the take a poll is about, take the completion
/// claim (ETag-checked, so of two runs finishing the same task only one goes on), give it back, record how the task
/// ended (with the completion record owed when its queue write failed) and settle that debt. It writes only once the
/// submission side is done with the entry (state <c>recorded</c> or <c>submitted</c>), through the same
/// <see cref="LedgerTable"/>.
/// </summary>
public sealed class TrackingLedger(LedgerTable table, IOptions<StartFrameOptions> options, TimeProvider timeProvider)
{
    /// <summary>
    /// The entry of <paramref name="taskId"/>, or null: the entry at <paramref name="key"/>, or — when that entry was taken
    /// again for a new take (<c>redrive --again</c>) and now holds another task — the archived copy of this task's take.
    /// </summary>
    public async Task<LedgerEntry?> FindTakeAsync(LedgerKey key, string taskId, CancellationToken cancellationToken)
    {
        var entry = await table.GetAsync(key, cancellationToken).ConfigureAwait(false);
        if (entry is null || entry.TaskId == taskId)
        {
            return entry;
        }

        var archived = LedgerKey.ArchivedTake(key.PartitionKey, key.RowKey, taskId);
        return await table.GetAsync(archived, cancellationToken).ConfigureAwait(false) ?? entry;
    }

    /// <summary>True when another run holds a completion claim that has not outlived its lease (<c>StartFrame:ClaimLease</c>).</summary>
    public bool IsClaimedByAnother(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.TrackingState == CompletionStatuses.Finishing
            && entry.TrackingClaimedAt is { } claimedAt
            && claimedAt + options.Value.ClaimLease > timeProvider.GetUtcNow();
    }

    /// <summary>Takes the completion claim on <paramref name="entry"/> as read; false when another run changed it since.</summary>
    public Task<bool> TryClaimCompletionAsync(LedgerEntry entry, string claimId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var now = timeProvider.GetUtcNow();
        entry.TrackingState = CompletionStatuses.Finishing;
        entry.TrackingClaimId = claimId;
        entry.TrackingClaimedAt = now;
        entry.UpdatedAt = now;
        return table.TryReplaceAsync(entry, cancellationToken);
    }

    /// <summary>Gives the completion claim back, so the next poll copies again at once rather than after the lease.</summary>
    public Task ReleaseCompletionAsync(LedgerEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        entry.TrackingState = null;
        entry.TrackingClaimId = null;
        entry.TrackingClaimedAt = null;
        return SaveAsync(entry, cancellationToken);
    }

    /// <summary>
    /// How the task ended, as its completion record says; <paramref name="owedRecordJson"/> is that record when it could
    /// not be queued, kept on the entry for the next delivery (late, maybe twice, never lost).
    /// </summary>
    public Task RecordCompletionAsync(LedgerEntry entry, CompletionRecord record, string? owedRecordJson, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(record);
        entry.TrackingState = record.Status;
        entry.TrackingClaimId = null;
        entry.TrackingClaimedAt = null;
        entry.CompletedAt = record.CompletedAt;
        entry.VideoContainer = record.Video?.Container;
        entry.VideoBlob = record.Video?.Blob;
        entry.VideoLength = record.Video?.Length;
        entry.CompletionErrorCode = record.Error?.Code;
        entry.CompletionErrorMessage = record.Error?.Message;
        entry.CompletionRecordJson = owedRecordJson;
        return SaveAsync(entry, cancellationToken);
    }

    /// <summary>The completion record an earlier run owed is on its queue now.</summary>
    public Task SettleOwedCompletionAsync(LedgerEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        entry.CompletionRecordJson = null;
        return SaveAsync(entry, cancellationToken);
    }

    /// <summary>Writes what the claim holder decided. The claim holder's word is final, so no ETag check.</summary>
    private Task SaveAsync(LedgerEntry entry, CancellationToken cancellationToken)
    {
        entry.UpdatedAt = timeProvider.GetUtcNow();
        return table.ReplaceAsync(entry, cancellationToken);
    }
}
