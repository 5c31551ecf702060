using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using StartFrame.Core.Records;
using StartFrame.Core.Validation;

namespace StartFrame.Core.OperatorViews;

/// <summary>
/// Reads the records queues (<c>video-tasks</c>, <c>video-task-failures</c>, <c>video-completions</c>) without taking anything
/// from them: a peek, never a receive, so no consumer loses a message, none is hidden, and no dequeue count changes. A peek
/// sees at most the first 32 visible messages of a queue; what lies behind them shows only once consumers take those.
/// Messages are read as stored and decoded here, so one odd message never hides the others: give it a queue client
/// without a message encoding (the core's own decodes base64 and would fail a whole peek on one foreign message).
/// </summary>
public sealed class RecordPeeker(QueueServiceClient rawQueues, BlobServiceClient blobs)
{
    /// <summary>The most messages one peek returns (the queue service's limit).</summary>
    public const int PeekLimit = 32;

    /// <summary>The record blobs are bounded by what a record can hold (a 64 KiB sidecar, escaped); more is not a record.</summary>
    private const int MaxRecordBlobBytes = 1024 * 1024;

    /// <summary>The records queues, in the order a submission fills them.</summary>
    public static IReadOnlyList<string> Queues { get; } = [StartFrameOptions.TasksQueue, StartFrameOptions.CompletionsQueue, StartFrameOptions.FailuresQueue];

    /// <summary>The first messages of <paramref name="queue"/> (at most <see cref="PeekLimit"/>) with their records; none when the queue does not exist.</summary>
    public async Task<RecordPeek> PeekAsync(string queue, CancellationToken cancellationToken)
    {
        var client = rawQueues.GetQueueClient(queue);
        int? count;
        try
        {
            count = (await client.GetPropertiesAsync(cancellationToken).ConfigureAwait(false)).Value.ApproximateMessagesCount;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return new RecordPeek(queue, [], null);
        }

        var messages = (await client.PeekMessagesAsync(PeekLimit, cancellationToken).ConfigureAwait(false)).Value;
        var records = new List<PeekedRecord>(messages.Length);
        foreach (var message in messages)
        {
            records.Add(await ReadAsync(queue, message.MessageId, message.InsertedOn, message.DequeueCount, message.Body, cancellationToken).ConfigureAwait(false));
        }

        return new RecordPeek(queue, records, count);
    }

    private async Task<PeekedRecord> ReadAsync(string queue, string messageId, DateTimeOffset? insertedOn, long dequeueCount, BinaryData body, CancellationToken cancellationToken)
    {
        var peeked = new PeekedRecord { Queue = queue, MessageId = messageId, InsertedOn = insertedOn, DequeueCount = dequeueCount, Form = "inline" };
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Convert.FromBase64String(body.ToString()));
        }
        catch (FormatException)
        {
            return peeked with { Problem = "the message is not base64 (every StartFrame record is): not written by StartFrame" };
        }

        if (Parse(text, "the message", out var unreadable) is not { } json)
        {
            return peeked with { Problem = unreadable + ": not a StartFrame record" };
        }

        if (json["recordBlob"] is null)
        {
            return peeked with { Record = json };
        }

        RecordPointer? pointer;
        try
        {
            pointer = json.Deserialize(RecordJson.Context.RecordPointer);
        }
        catch (JsonException)
        {
            pointer = null;
        }

        if (pointer is null)
        {
            return peeked with { Form = "pointer", Problem = "the pointer is not a recordBlob {container, blob, length, sha256}" };
        }

        peeked = peeked with { Form = "pointer", RecordBlob = pointer.RecordBlob };
        return await ReadPointedAsync(peeked, pointer.RecordBlob, cancellationToken).ConfigureAwait(false);
    }

    private async Task<PeekedRecord> ReadPointedAsync(PeekedRecord peeked, RecordBlobReference where, CancellationToken cancellationToken)
    {
        if (where.Container != StartFrameOptions.RecordsContainer || where.Length is <= 0 or > MaxRecordBlobBytes)
        {
            return peeked with { Problem = $"the pointer names {where.Container}/{where.Blob} of {where.Length} bytes, not a record of {StartFrameOptions.RecordsContainer}" };
        }

        byte[] bytes;
        try
        {
            bytes = (await blobs.GetBlobContainerClient(where.Container).GetBlobClient(where.Blob).DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content.ToArray();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return peeked with { Problem = $"its record blob {where.Container}/{where.Blob} is gone (deleted, or kept for less time than the message)" };
        }

        if (!Convert.ToHexStringLower(SHA256.HashData(bytes)).Equals(where.Sha256, StringComparison.Ordinal))
        {
            return peeked with { Problem = $"its record blob {where.Container}/{where.Blob} does not match the pointer's SHA-256: it was changed" };
        }

        return Parse(Encoding.UTF8.GetString(bytes), $"its record blob {where.Container}/{where.Blob}", out var problem) is { } record
            ? peeked with { Record = record }
            : peeked with { Problem = problem };
    }

    /// <summary>The JSON object <paramref name="text"/> holds, or null with why not (a name given twice included: such a
    /// message is listed with its problem, never allowed to fail the whole peek when it is first touched).</summary>
    private static JsonObject? Parse(string text, string what, out string problem)
    {
        try
        {
            if (StrictJson.Parse(text) is JsonObject json)
            {
                problem = "";
                return json;
            }

            problem = $"{what} is not a JSON object";
            return null;
        }
        catch (JsonException ex)
        {
            problem = JsonProblems.Describe(what, ex);
            return null;
        }
    }
}
