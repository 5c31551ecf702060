using Azure;
using Azure.Data.Tables;

namespace StartFrame.Core.Ledger;

/// <summary>
/// A pointer to a ledger entry that owes a record or a first tracking message (its queue write failed after ModelStream
/// took the task). Kept in its own small table, so finding every debt is one query over one partition, not a scan of the
/// ledger.
/// </summary>
public sealed class OwedRecordMarker : ITableEntity
{
    /// <summary>Every marker lives in this one partition: debts are rare (a queue outage), and a sweep reads them all.</summary>
    public const string Partition = "owed";

    /// <inheritdoc />
    public string PartitionKey { get; set; } = Partition;

    /// <summary>SHA-256 (hex) of the ledger entry's keys: fixed length, whatever the ledger's keys hold.</summary>
    public string RowKey { get; set; } = "";

    /// <inheritdoc />
    public DateTimeOffset? Timestamp { get; set; }

    /// <inheritdoc />
    public ETag ETag { get; set; }

    /// <summary>The ledger entry's partition key.</summary>
    public string LedgerPartitionKey { get; set; } = "";

    /// <summary>The ledger entry's row key.</summary>
    public string LedgerRowKey { get; set; } = "";

    /// <summary>When the debt was noted; a sweep leaves younger ones to the redelivery that is on its way.</summary>
    public DateTimeOffset OwedSince { get; set; }
}
