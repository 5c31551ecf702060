using System.Text.Json;

namespace StartFrame.Core.Records;

/// <summary>
/// Writes completion records to <c>video-completions</c> through the shared <see cref="RecordWriter"/>, so they get the
/// same redaction, base64 queue encoding and size rule as task and failure records.
/// </summary>
public sealed class CompletionWriter(RecordWriter records)
{
    /// <summary>Sends a completion record (as <see cref="Serialize"/> wrote it) to <c>video-completions</c>.</summary>
    public Task WriteAsync(string json, CancellationToken cancellationToken) =>
        records.WriteAsync(StartFrameOptions.CompletionsQueue, json, cancellationToken);

    /// <summary>The JSON of a completion record, exactly as it is queued.</summary>
    public static string Serialize(CompletionRecord record) => JsonSerializer.Serialize(record, RecordJson.Context.CompletionRecord);
}
