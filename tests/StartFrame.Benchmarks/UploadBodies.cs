using System.Text;
using Azure.Data.Tables;
using StartFrame.Core.Records;
using StartFrame.Core.WaysIn;

namespace StartFrame.Benchmarks;

/// <summary>What the core sent for one upload — the POST body, the queued record, the first tracking message, the ledger
/// row it wrote (without its keys) — so the raw round trips carry the same bytes, whatever the core stores.</summary>
internal sealed record UploadBodies(byte[] Post, string Record, string Tracking, IReadOnlyDictionary<string, object> LedgerRow)
{
    /// <summary>Takes them from an outcome, the body the simulator received for it and the ledger row read back.</summary>
    public static async Task<UploadBodies> CaptureAsync(ProcessingOutcome outcome, string postedJson, TableClient ledger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(ledger);
        var record = outcome.Record ?? throw new BenchmarkFailedException($"{outcome.Subject} was submitted without a task record.");
        var source = record.Source;
        // Keys are hashes of the name and content; the readable name is a property to find the row by.
        TableEntity? row = null;
        await foreach (var entity in ledger.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"Blob eq {source.Blob}"), cancellationToken: cancellationToken))
        {
            row = entity;
        }

        if (row is null)
        {
            throw new BenchmarkFailedException($"{outcome.Subject} has no ledger row.");
        }

        string[] notCopied = ["PartitionKey", "RowKey", "Timestamp", "odata.etag"];
        var properties = row.Where(property => !notCopied.Contains(property.Key)).ToDictionary(property => property.Key, property => property.Value);
        var tracking = new StartFrame.Core.Polling.PollSchedule(new StartFrame.Core.StartFrameOptions())
            .First(record.TaskId, row.PartitionKey, row.RowKey, record.SubmittedAt, offPeak: false, record.CorrelationId);
        return new UploadBodies(Encoding.UTF8.GetBytes(postedJson), RecordJson.Serialize(record), StartFrame.Core.Polling.TrackingQueueClient.Serialize(tracking), properties);
    }
}
