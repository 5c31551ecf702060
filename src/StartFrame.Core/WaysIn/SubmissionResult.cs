using StartFrame.Core.Records;



namespace StartFrame.Core.WaysIn;

/// <summary>What a submission came to, with everything the HTTP, queue and CLI faces need to answer.</summary>
public sealed record SubmissionResult
{
    /// <summary>The outcome.</summary>
    public required SubmissionStatus Status { get; init; }

    /// <summary>The task record, when accepted.</summary>
    public TaskRecord? Record { get; init; }

    /// <summary>Why it was refused or failed.</summary>
    public IReadOnlyList<RecordError> Errors { get; init; } = [];

    /// <summary>A sentence for people.</summary>
    public string? Detail { get; init; }

    /// <summary>When to try again (Unavailable, InProgress).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Unavailable because every provider slot is taken (admission control), not because ModelStream failed:
    /// the queue way in looks again later as a new delayed message rather than as a redelivery.</summary>
    public bool WaitingForSlot { get; init; }

    /// <summary>The traceparent of this submission's way-in span, for a later look to join its trace.</summary>
    public string? Traceparent { get; init; }

    /// <summary>True when an earlier call with the same idempotency key produced this answer.</summary>
    public bool Replayed { get; init; }

    /// <summary>The correlation id used.</summary>
    public required string CorrelationId { get; init; }
}
