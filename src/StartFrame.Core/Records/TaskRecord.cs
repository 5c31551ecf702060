using System.Text.Json.Nodes;

namespace StartFrame.Core.Records;

/// <summary>
/// What downstream consumers read from <c>video-tasks</c>: one per ModelStream task. Delivery is at least once,
/// so a record may (rarely) appear twice with the same <see cref="TaskId"/>: consumers de-duplicate by it.
/// Schema: <c>Records/task-record.schema.json</c>.
/// </summary>
public sealed record TaskRecord
{
    /// <summary>Version of this shape; bumped on a breaking change.</summary>
    public int SchemaVersion { get; init; } = 1;

    /// <summary>ModelStream's task id, for polling the result.</summary>
    public required string TaskId { get; init; }

    /// <summary>Status ModelStream reported at submission (usually <c>queued</c>).</summary>
    public required string Status { get; init; }

    /// <summary>The model the video is generated with.</summary>
    public required string Model { get; init; }

    /// <summary>When ModelStream accepted the request.</summary>
    public required DateTimeOffset SubmittedAt { get; init; }

    /// <summary><c>blob</c>, <c>http</c> or <c>queue</c>.</summary>
    public required string Origin { get; init; }

    /// <summary>The start frame.</summary>
    public required RecordSource Source { get; init; }

    /// <summary>Name of the sidecar blob the parameters came from, when there was one.</summary>
    public string? Sidecar { get; init; }

    /// <summary>The request body as sent, with the image's SAS URL replaced by the blob URL without query.</summary>
    public required JsonObject Parameters { get; init; }

    /// <summary>One id from the trigger through the ModelStream request to this record and every log line.</summary>
    public required string CorrelationId { get; init; }
    /// <summary>
    /// The W3C trace context (<c>traceparent</c>) of the trace this video's work belongs to, so later work and consumers
    /// join it; absent when nothing traced the submission. Added within schema version 1 (additive).
    /// </summary>
    public string? Traceparent { get; init; }
}
