using StartFrame.Core.Records;
using StartFrame.Core.Telemetry;

namespace StartFrame.Core.Submitting;

/// <summary>Why a submission cannot (or could not) go ahead, with what a failure record says about it.</summary>
public sealed record SubmissionPlanFailure
{
    /// <summary><c>blob</c>, <c>http</c> or <c>queue</c>.</summary>
    public required string Origin { get; init; }

    /// <summary>The image, as far as it is known.</summary>
    public required RecordSource Source { get; init; }

    /// <summary>The sidecar, when there was one.</summary>
    public string? Sidecar { get; init; }

    /// <summary>The run's correlation id.</summary>
    public required string CorrelationId { get; init; }

    /// <summary>Every reason.</summary>
    public required IReadOnlyList<RecordError> Errors { get; init; }

    /// <summary>The failure record for this failure, echoing its errors within <see cref="RecordLimits"/>. An ambiguous failure
    /// is never retryable: a consumer that retries what says <c>retryable</c> must not charge twice.</summary>
    public FailureRecord ToRecord(string stage, bool retryable, DateTimeOffset failedAt, bool ambiguous = false) => new()
    {
        Origin = Origin,
        Source = Source,
        Sidecar = Sidecar,
        Errors = Errors.Count > 0 ? RecordLimits.Bound(Errors) : [new RecordError("request", "unknown", "no reason was given")],
        ErrorCount = Math.Max(1, Errors.Count),
        FailedAt = failedAt,
        CorrelationId = CorrelationId,
        Stage = stage,
        Retryable = retryable && !ambiguous,
        Ambiguous = ambiguous,
        Traceparent = TraceParent.Current(),
    };
}
