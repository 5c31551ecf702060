using System.Text.Json;
using Azure.Storage.Queues;

namespace StartFrame.Core.Tracking;

/// <summary>
/// Writes completion records to <c>video-completions</c> (base64, like the other records queues). Kept beside the
/// record rather than in <c>Records/RecordWriter</c> so the tracking stage is one folder; the shared writer can take it over.
/// </summary>
public sealed class CompletionWriter(QueueServiceClient queues)
{
    private readonly QueueClient _completions = queues.GetQueueClient(StartFrameOptions.CompletionsQueue);

    /// <summary>Sends a completion record (as <see cref="Serialize"/> wrote it) to <c>video-completions</c>.</summary>
    public Task WriteAsync(string json, CancellationToken cancellationToken) =>
        _completions.SendMessageAsync(json, cancellationToken);

    /// <summary>The JSON of a completion record, exactly as it is queued.</summary>
    public static string Serialize(CompletionRecord record) => JsonSerializer.Serialize(record, TrackingJsonContext.Default.CompletionRecord);
}
