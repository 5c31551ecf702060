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

    /// <summary>True when an earlier call with the same idempotency key produced this answer.</summary>
    public bool Replayed { get; init; }

    /// <summary>The correlation id used.</summary>
    public required string CorrelationId { get; init; }
}
