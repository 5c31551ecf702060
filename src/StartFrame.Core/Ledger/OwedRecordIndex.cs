using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;

namespace StartFrame.Core.Ledger;

/// <summary>
/// The table of ledger entries that owe a record (<c>startframeowed</c>). A debt is noted when a queue write fails after
/// the POST, and crossed out by the sweep once the entry owes nothing. A redelivery (blob trigger, queue message, the
/// same idempotency key) settles most debts first; the index is what settles those no redelivery will come for — an HTTP
/// submission without an idempotency key, a blob trigger that gave up.
/// </summary>
public sealed class OwedRecordIndex(TableServiceClient tables, TimeProvider timeProvider)
{
    private readonly TableClient _table = tables.GetTableClient(StartFrameOptions.OwedRecordsTable);

    /// <summary>Notes that <paramref name="entry"/> owes a record (idempotent: the same entry is one marker).</summary>
    public Task NoteAsync(LedgerEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var marker = new OwedRecordMarker
        {
            RowKey = RowKeyOf(entry.PartitionKey, entry.RowKey),
            LedgerPartitionKey = entry.PartitionKey,
            LedgerRowKey = entry.RowKey,
            OwedSince = timeProvider.GetUtcNow(),
        };
        return _table.UpsertEntityAsync(marker, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Every marker, a page at a time.</summary>
    public async IAsyncEnumerable<OwedRecordMarker> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {OwedRecordMarker.Partition}");
        await foreach (var marker in _table.QueryAsync<OwedRecordMarker>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return marker;
        }
    }

    /// <summary>Crosses a marker out, unless it was noted again since it was read (then the newer debt stays).</summary>
    public async Task RemoveAsync(OwedRecordMarker marker, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(marker);
        try
        {
            await _table.DeleteEntityAsync(marker.PartitionKey, marker.RowKey, marker.ETag, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            // Gone already (another sweep), or noted again: the next sweep looks at the entry again.
        }
    }

    private static string RowKeyOf(string partitionKey, string rowKey) => LedgerKey.Hash(partitionKey + "\n" + rowKey);
}
