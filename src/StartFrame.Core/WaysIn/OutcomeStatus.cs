namespace StartFrame.Core.WaysIn;

/// <summary>The stable values of <see cref="ProcessingOutcome.Status"/>.</summary>
public static class OutcomeStatus
{
    /// <summary>ModelStream accepted it; the task record is on <c>video-tasks</c>.</summary>
    public const string Submitted = "submitted";

    /// <summary>A record owed from an earlier run (queue write failed) is now written.</summary>
    public const string RecordWritten = "record_written";

    /// <summary>An earlier delivery already submitted it: nothing sent again.</summary>
    public const string AlreadySubmitted = "already_submitted";

    /// <summary>Another run holds a live claim on it: a re-check is queued for when the claim runs out (<see cref="ProcessingOutcome.RetryAfter"/>).</summary>
    public const string InProgress = "in_progress";

    /// <summary>Every ModelStream slot is taken: nothing sent, not an attempt; a re-check looks again after
    /// <see cref="ProcessingOutcome.RetryAfter"/>.</summary>
    public const string WaitingForSlot = "waiting_for_slot";

    /// <summary>The image waits for its sidecar (nothing sent, nothing failed).</summary>
    public const string Waiting = "waiting";

    /// <summary>A sidecar arrived before its image: the image's own upload will be processed.</summary>
    public const string SidecarWithoutImage = "sidecar_without_image";

    /// <summary>The blob no longer exists: nothing to do.</summary>
    public const string Gone = "gone";

    /// <summary>Refused before any credit was spent (or by ModelStream with a 4xx); a failure record was written.</summary>
    public const string Rejected = "rejected";

    /// <summary>Refused earlier with the same inputs: no new failure record.</summary>
    public const string AlreadyFailed = "already_failed";

    /// <summary>ModelStream stayed unavailable through every attempt; a retryable failure record was written.</summary>
    public const string Failed = "failed";

    /// <summary>ModelStream may or may not have accepted it; a retryable failure record was written (redrive --force).</summary>
    public const string Ambiguous = "ambiguous";
}
