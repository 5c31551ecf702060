using System.Text.Json;
using Azure.Storage.Queues;

namespace StartFrame.Core.Records;

/// <summary>
/// Writes task and failure records to their queues. The queue client is configured for base64 messages,
/// the encoding a default Functions queue trigger (host.json <c>messageEncoding</c>) reads.
/// </summary>
public sealed class RecordWriter(QueueServiceClient queues)
{
    private readonly QueueClient _tasks = queues.GetQueueClient(StartFrameOptions.TasksQueue);
    private readonly QueueClient _failures = queues.GetQueueClient(StartFrameOptions.FailuresQueue);

    /// <summary>Sends a task record to <c>video-tasks</c>.</summary>
    public Task WriteAsync(TaskRecord record, CancellationToken cancellationToken) =>
        _tasks.SendMessageAsync(Serialize(record), cancellationToken);

    /// <summary>Sends a failure record to <c>video-task-failures</c>.</summary>
    public Task WriteAsync(FailureRecord record, CancellationToken cancellationToken) =>
        _failures.SendMessageAsync(Serialize(record), cancellationToken);

    /// <summary>Sends a record kept as JSON (one the ledger owed) to the named records queue.</summary>
    public Task WriteAsync(string queueName, string json, CancellationToken cancellationToken) => queueName switch
    {
        StartFrameOptions.TasksQueue => _tasks.SendMessageAsync(json, cancellationToken),
        StartFrameOptions.FailuresQueue => _failures.SendMessageAsync(json, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(queueName), queueName, "Not a records queue."),
    };

    /// <summary>The JSON of a task record, exactly as it is queued.</summary>
    public static string Serialize(TaskRecord record) => JsonSerializer.Serialize(record, RecordJsonContext.Default.TaskRecord);

    /// <summary>The JSON of a failure record, exactly as it is queued.</summary>
    public static string Serialize(FailureRecord record) => JsonSerializer.Serialize(record, RecordJsonContext.Default.FailureRecord);
}
