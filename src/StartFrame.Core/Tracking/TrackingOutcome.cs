using StartFrame.Core.Records;

namespace StartFrame.Core.Tracking;

/// <summary>What one tracking delivery came to: one JSON line per delivery in <c>startframe track</c>.</summary>
public sealed record TrackingOutcome
{
    /// <summary>One of <see cref="TrackingOutcomeStatus"/>.</summary>
    public required string Status { get; init; }

    /// <summary>ModelStream's task id (empty for a message that could not be read).</summary>
    public required string TaskId { get; init; }

    /// <summary>ModelStream's status at this poll (<c>queued</c>, <c>in_progress</c>, <c>completed</c>, <c>failed</c>), when it answered.</summary>
    public string? Generation { get; init; }

    /// <summary>Percent done at this poll, when reported.</summary>
    public int? Progress { get; init; }

    /// <summary>When the next poll is due (rescheduled).</summary>
    public DateTimeOffset? NextPollAt { get; init; }

    /// <summary>The stored video (succeeded).</summary>
    public CompletionVideo? Video { get; init; }

    /// <summary>Why there is no video (failed, timed out).</summary>
    public CompletionError? Error { get; init; }

    /// <summary>A sentence for people.</summary>
    public string? Detail { get; init; }

    /// <summary>The submission's correlation id.</summary>
    public required string CorrelationId { get; init; }
}

/// <summary>The stable values of <see cref="TrackingOutcome.Status"/>.</summary>
public static class TrackingOutcomeStatus
{
    /// <summary>Not finished (or a transient failure): the next poll is queued.</summary>
    public const string Rescheduled = "rescheduled";

    /// <summary>The video is in storage and its completion record on <c>video-completions</c>.</summary>
    public const string Succeeded = CompletionStatuses.Succeeded;

    /// <summary>The task ended without a video; its completion record says why.</summary>
    public const string Failed = CompletionStatuses.Failed;

    /// <summary>The task had not finished at the horizon; its completion record says so.</summary>
    public const string TimedOut = CompletionStatuses.TimedOut;

    /// <summary>An earlier delivery already finished the task: nothing changed (a duplicate delivery).</summary>
    public const string AlreadyCompleted = "already_completed";

    /// <summary>A completion record owed by an earlier delivery (its queue write failed) is now written.</summary>
    public const string RecordWritten = "record_written";

    /// <summary>The message could not be followed (unreadable, or its ledger entry is gone); logged as an error.</summary>
    public const string Dropped = "dropped";
}
