using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using StartFrame.Core.Ledger;

namespace StartFrame.Core.OperatorViews;

/// <summary>
/// The ledger, read-only, for operators (<c>startframe tasks</c>, <c>startframe failures</c>). Listing is a query over the
/// whole table — the keys are hashes, so no key range stands for a state or a folder — filtered by the service and read a
/// page (1,000 entries) at a time with only the properties a listing shows: never the record copies (up to 4 × 32,000
/// characters each), never the whole table in memory.
/// </summary>
public sealed class LedgerReader(TableServiceClient tables)
{
    /// <summary>The most entries the table service returns per page.</summary>
    public const int PageSize = 1000;

    // What a listing shows; the record copies (TaskRecordJson…, RecordJson…, CompletionRecordJson) stay in the table.
    private static readonly string[] s_listed =
    [
        nameof(LedgerEntry.PartitionKey), nameof(LedgerEntry.RowKey), nameof(LedgerEntry.State), nameof(LedgerEntry.Origin), nameof(LedgerEntry.Container), nameof(LedgerEntry.Blob),
        nameof(LedgerEntry.ImageUrl), nameof(LedgerEntry.IdempotencyKey), nameof(LedgerEntry.Model), nameof(LedgerEntry.TaskId),
        nameof(LedgerEntry.TrackingState), nameof(LedgerEntry.VideoContainer), nameof(LedgerEntry.VideoBlob), nameof(LedgerEntry.VideoLength),
        nameof(LedgerEntry.LastErrorCode), nameof(LedgerEntry.LastErrorMessage), nameof(LedgerEntry.CompletionErrorCode),
        nameof(LedgerEntry.CompletionErrorMessage), nameof(LedgerEntry.FailureStage), nameof(LedgerEntry.Attempts),
        nameof(LedgerEntry.CreatedAt), nameof(LedgerEntry.SubmittedAt), nameof(LedgerEntry.CompletedAt), nameof(LedgerEntry.UpdatedAt),
        nameof(LedgerEntry.CorrelationId),
    ];

    private readonly TableClient _table = tables.GetTableClient(StartFrameOptions.LedgerTable);

    /// <summary>The entries <paramref name="query"/> selects, in the table's key order (hashes: no meaningful order), as they are read.</summary>
    public async IAsyncEnumerable<LedgerView> ListAsync(LedgerQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var prefix = query.BlobPrefix;
        await foreach (var entry in QueryAsync(Filter(query), cancellationToken).ConfigureAwait(false))
        {
            // The service narrowed the range; this is the exact test (and the only one where the range has no upper bound).
            if (prefix is null || (entry.Container == StartFrameOptions.UploadsContainer && entry.Blob?.StartsWith(prefix, StringComparison.Ordinal) == true))
            {
                yield return LedgerView.Of(entry);
            }
        }
    }

    /// <summary>Every entry about one image blob: its uploads (each content a row of one partition) and the HTTP and queue
    /// submissions that named it (a query over the idempotency-key entries only).</summary>
    public async Task<IReadOnlyList<LedgerView>> ForBlobAsync(string container, string blob, CancellationToken cancellationToken)
    {
        var uploads = LedgerKey.UploadPartition(container, blob);
        var entries = new List<LedgerView>();
        await foreach (var entry in QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {uploads}"), cancellationToken).ConfigureAwait(false))
        {
            entries.Add(LedgerView.Of(entry));
        }

        var submissions = TableClient.CreateQueryFilter($"PartitionKey ge {KeyPartitions} and PartitionKey lt {KeyPartitionsEnd} and Container eq {container} and Blob eq {blob}");
        await foreach (var entry in QueryAsync(submissions, cancellationToken).ConfigureAwait(false))
        {
            entries.Add(LedgerView.Of(entry));
        }

        return entries;
    }

    /// <summary>Every HTTP and queue submission of an image URL (a query over the idempotency-key entries only).</summary>
    public async Task<IReadOnlyList<LedgerView>> ForImageUrlAsync(string url, CancellationToken cancellationToken)
    {
        var entries = new List<LedgerView>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {KeyPartitions} and PartitionKey lt {KeyPartitionsEnd} and ImageUrl eq {url}");
        await foreach (var entry in QueryAsync(filter, cancellationToken).ConfigureAwait(false))
        {
            entries.Add(LedgerView.Of(entry));
        }

        return entries;
    }

    // Idempotency-key entries are "k:<sha-256>": every partition key from "k:" up to (not including) "k;".
    private const string KeyPartitions = "k:";
    private const string KeyPartitionsEnd = "k;";

    private async IAsyncEnumerable<LedgerEntry> QueryAsync(string? filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pages = _table.QueryAsync<LedgerEntry>(filter, PageSize, s_listed, cancellationToken).AsPages();
        IAsyncEnumerator<Azure.Page<LedgerEntry>> enumerator;
        try
        {
            enumerator = pages.GetAsyncEnumerator(cancellationToken);
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            yield break;
        }

        await using (enumerator.ConfigureAwait(false))
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await enumerator.MoveNextAsync().ConfigureAwait(false);
                }
                catch (Azure.RequestFailedException ex) when (ex.Status == 404)
                {
                    yield break; // no ledger table yet: nothing was ever submitted
                }

                if (!more)
                {
                    yield break;
                }

                foreach (var entry in enumerator.Current.Values)
                {
                    yield return entry;
                }
            }
        }
    }

    /// <summary>The service-side filter: the state, and the blob name range the prefix spans (<c>Blob ge 'batch1/' and Blob lt 'batch10'</c>).</summary>
    private static string? Filter(LedgerQuery query)
    {
        var parts = new List<string>();
        if (query.State is { } state)
        {
            parts.Add(TableClient.CreateQueryFilter($"State eq {state}"));
        }

        if (query.BlobPrefix is { } prefix)
        {
            parts.Add(TableClient.CreateQueryFilter($"Container eq {StartFrameOptions.UploadsContainer}"));
            if (prefix.Length > 0)
            {
                parts.Add(TableClient.CreateQueryFilter($"Blob ge {prefix}"));
                if (prefix[^1] != char.MaxValue)
                {
                    var end = string.Concat(prefix.AsSpan(0, prefix.Length - 1), ((char)(prefix[^1] + 1)).ToString());
                    parts.Add(TableClient.CreateQueryFilter($"Blob lt {end}"));
                }
            }
        }

        return parts.Count == 0 ? null : string.Join(" and ", parts);
    }
}
