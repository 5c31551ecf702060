namespace StartFrame.Core.Records;

/// <summary>
/// What <c>video-task-failures</c> receives when a submission is refused or its outcome is unknown.
/// Schema: <c>Records/failure-record.schema.json</c>.
/// </summary>
public sealed record FailureRecord
{
    /// <summary>Version of this shape; bumped on a breaking change.</summary>
    public int SchemaVersion { get; init; } = 1;

    /// <summary><c>blob</c>, <c>http</c> or <c>queue</c>.</summary>
    public required string Origin { get; init; }

    /// <summary>The start frame (or what is known of it).</summary>
    public required RecordSource Source { get; init; }

    /// <summary>Name of the sidecar blob, when there was one.</summary>
    public string? Sidecar { get; init; }

    /// <summary>The reasons: every one, up to <see cref="RecordLimits.MaxErrors"/> (see <see cref="ErrorCount"/>).</summary>
    public required IReadOnlyList<RecordError> Errors { get; init; }

    /// <summary>How many reasons there were in all; more than <see cref="Errors"/> lists when the input had very many.</summary>
    public required int ErrorCount { get; init; }

    /// <summary>When the failure was recorded.</summary>
    public required DateTimeOffset FailedAt { get; init; }

    /// <summary>The trigger's correlation id.</summary>
    public required string CorrelationId { get; init; }

    /// <summary><c>validation</c> (nothing was sent) or <c>submit</c>.</summary>
    public required string Stage { get; init; }

    /// <summary>
    /// True when nothing was charged and the same request may succeed once a cause outside it is fixed (quota, key,
    /// permission, an outage): retrying it, with the same idempotency key, cannot charge twice. False for input that must
    /// change, and always false when <see cref="Ambiguous"/>.
    /// </summary>
    public bool Retryable { get; init; }

    /// <summary>
    /// True when ModelStream may have started — and charged — the video (a timeout after sending, 500/502/504, a claim left
    /// by a crashed run): never retry it automatically; look for the task first (<c>startframe redrive --force</c>).
    /// Added to schema version 1 (records written before it lack it).
    /// </summary>
    public bool Ambiguous { get; init; }
    /// <summary>
    /// The W3C trace context (<c>traceparent</c>) of the trace this video's work belongs to, so later work and consumers
    /// join it; absent when nothing traced the submission. Added within schema version 1 (additive).
    /// </summary>
    public string? Traceparent { get; init; }
}
