using System.Text.Json.Nodes;

namespace StartFrame.Core.WaysIn;

/// <summary>
/// A submission that did not come from a blob upload: the HTTP body or queue message (sidecar fields plus exactly
/// one of <c>blob</c> — <c>"start-frames/a/cat.png"</c>, handed over as a SAS URL — or <c>imageUrl</c>).
/// </summary>
public sealed record SubmissionInput
{
    /// <summary>The JSON body: sidecar fields + <c>blob</c> | <c>imageUrl</c> (+ <c>correlationId</c>, <c>idempotencyKey</c> on the queue).</summary>
    public required JsonObject Body { get; init; }

    /// <summary><c>http</c> or <c>queue</c> (or <c>cli</c> paths that act like HTTP: <c>http</c>).</summary>
    public required string Origin { get; init; }

    /// <summary>The caller's idempotency key; null means every call is a new submission.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>The caller's correlation id; one is made when null.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>The caller's W3C trace context (the <c>traceparent</c> header or field); the submission's spans join it.</summary>
    public string? Traceparent { get; init; }

    /// <summary>Deliveries ending in a transient failure before giving up with a failure record; null = the configured
    /// <c>StartFrame:MaxSubmitAttempts</c>. The queue path sets no limit: the host's <c>maxDequeueCount</c> and poison queue decide.</summary>
    public int? MaxAttempts { get; init; }
}
