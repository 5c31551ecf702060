using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using StartFrame.Core.Redaction;

namespace StartFrame.Core.Records;

/// <summary>
/// Writes task, failure and completion records to their queues, after the <see cref="Redactor"/>. The queue client is configured
/// for base64 messages (what a default Functions queue trigger reads), so a message holds at most
/// <see cref="MaxInlineBytes"/> of JSON; a larger record (a task record whose prompt fills a 64 KiB sidecar) is
/// stored in <c>video-records</c> and the queue gets a <see cref="RecordPointer"/> to it.
/// </summary>
public sealed class RecordWriter(QueueServiceClient queues, BlobServiceClient blobs, Redactor redactor)
{
    /// <summary>A queue message is at most 64 KiB as stored; base64 makes 3 bytes 4, so 48 KiB of UTF-8 JSON fit.</summary>
    public const int MaxInlineBytes = 48 * 1024;

    private readonly QueueClient _tasks = queues.GetQueueClient(StartFrameOptions.TasksQueue);
    private readonly QueueClient _failures = queues.GetQueueClient(StartFrameOptions.FailuresQueue);
    private readonly QueueClient _completions = queues.GetQueueClient(StartFrameOptions.CompletionsQueue);
    private readonly BlobContainerClient _records = blobs.GetBlobContainerClient(StartFrameOptions.RecordsContainer);

    /// <summary>Sends a failure record to <c>video-task-failures</c>.</summary>
    public Task WriteAsync(FailureRecord record, CancellationToken cancellationToken) =>
        WriteAsync(StartFrameOptions.FailuresQueue, RecordJson.Serialize(record), cancellationToken);

    /// <summary>Sends a record (JSON) to the named records queue: inline when it fits a message, else as a pointer to its blob.</summary>
    public async Task WriteAsync(string queueName, string json, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(json);
        var queue = queueName switch
        {
            StartFrameOptions.TasksQueue => _tasks,
            StartFrameOptions.FailuresQueue => _failures,
            StartFrameOptions.CompletionsQueue => _completions,
            _ => throw new ArgumentOutOfRangeException(nameof(queueName), queueName, "Not a records queue."),
        };
        json = redactor.Text(json);
        var message = Encoding.UTF8.GetByteCount(json) <= MaxInlineBytes
            ? json
            : await StoreAsync(FolderOf(queueName), json, cancellationToken).ConfigureAwait(false);
        await queue.SendMessageAsync(message, cancellationToken).ConfigureAwait(false);
    }

    private static string FolderOf(string queueName) => queueName switch
    {
        StartFrameOptions.TasksQueue => "tasks",
        StartFrameOptions.CompletionsQueue => "completions",
        _ => "failures",
    };

    private async Task<string> StoreAsync(string folder, string json, CancellationToken cancellationToken)
    {
        // Named by content: writing the same record again (a redelivery writing what it owes) is the same blob.
        var bytes = Encoding.UTF8.GetBytes(json);
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var blob = _records.GetBlobClient($"{folder}/{hash}.json");
        var options = new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json; charset=utf-8" } };
        await blob.UploadAsync(new BinaryData(bytes), options, cancellationToken).ConfigureAwait(false);

        var record = JsonNode.Parse(json)!.AsObject();
        var pointer = new RecordPointer
        {
            SchemaVersion = record["schemaVersion"]?.GetValue<int>() ?? 1,
            TaskId = TextOf(record, "taskId"),
            CorrelationId = TextOf(record, "correlationId"),
            RecordBlob = new RecordBlobReference(_records.Name, blob.Name, bytes.Length, hash),
        };
        return JsonSerializer.Serialize(pointer, RecordJson.Context.RecordPointer);
    }

    private static string? TextOf(JsonObject record, string name) =>
        record[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
