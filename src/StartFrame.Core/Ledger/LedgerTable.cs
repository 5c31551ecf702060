using Azure;
using Azure.Data.Tables;
using StartFrame.Core.Redaction;

namespace StartFrame.Core.Ledger;

/// <summary>
/// The one reader and writer of the ledger table: point reads, the task-id query, inserts and replaces. Every write
/// passes through <see cref="LedgerRowRules"/> (the <see cref="Redactor"/> and the row limits), whichever intent of
/// <see cref="SubmissionLedger"/> or <see cref="TrackingLedger"/> asked for it, so no stage can reach the table another way.
/// </summary>
public sealed class LedgerTable(TableServiceClient tables, Redactor redactor)
{
    /// <summary>The longest task id looked up (ModelStream's are a dozen characters; longer is no task of ours).</summary>
    private const int MaxTaskIdLength = 1024;

    private readonly TableClient _table = tables.GetTableClient(StartFrameOptions.LedgerTable);

    /// <summary>The entry for <paramref name="key"/>, or null.</summary>
    public async Task<LedgerEntry?> GetAsync(LedgerKey key, CancellationToken cancellationToken)
    {
        var response = await _table.GetEntityIfExistsAsync<LedgerEntry>(key.PartitionKey, key.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>The entry of a ModelStream task id (a query, not a point read: used by status look-ups only).</summary>
    public async Task<LedgerEntry?> FindByTaskIdAsync(string taskId, CancellationToken cancellationToken)
    {
        // A query for a text of any length the caller sends would only make the table refuse the request.
        if (string.IsNullOrEmpty(taskId) || taskId.Length > MaxTaskIdLength)
        {
            return null;
        }

        await foreach (var entry in _table.QueryAsync<LedgerEntry>(e => e.TaskId == taskId, maxPerPage: 1, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            return entry;
        }

        return null;
    }

    /// <summary>Inserts <paramref name="entry"/>; false (nothing written) when its key has an entry already.</summary>
    internal async Task<bool> TryAddAsync(LedgerEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            var added = await _table.AddEntityAsync(LedgerRowRules.Apply(entry, redactor), cancellationToken).ConfigureAwait(false);
            entry.ETag = added.Headers.ETag ?? default;
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Replaces the entry if it is unchanged since it was read (its ETag); false when another run changed it.</summary>
    internal async Task<bool> TryReplaceAsync(LedgerEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            await ReplaceIfUnchangedAsync(entry, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            return false;
        }
    }

    /// <summary>Replaces the entry if it is unchanged since it was read (its ETag).</summary>
    /// <exception cref="RequestFailedException">Status 412: another run changed it.</exception>
    internal Task ReplaceIfUnchangedAsync(LedgerEntry entry, CancellationToken cancellationToken) => ReplaceAsync(entry, entry.ETag, cancellationToken);

    /// <summary>Replaces the entry whatever its ETag: the word of the run that holds its claim is final.</summary>
    internal Task ReplaceAsync(LedgerEntry entry, CancellationToken cancellationToken) => ReplaceAsync(entry, ETag.All, cancellationToken);

    private async Task ReplaceAsync(LedgerEntry entry, ETag ifMatch, CancellationToken cancellationToken)
    {
        var response = await _table.UpdateEntityAsync(LedgerRowRules.Apply(entry, redactor), ifMatch, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        entry.ETag = response.Headers.ETag ?? default;
    }
}
