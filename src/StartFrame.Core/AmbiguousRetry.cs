namespace StartFrame.Core;

/// <summary>
/// What to do when a POST's outcome is unknown (timeout after sending, 500/502/504, reset, unreadable 200).
/// ModelStream documents no idempotency key, so re-sending may start (and charge) a second video.
/// </summary>
public enum AmbiguousRetry
{
    /// <summary>Default: mark the claim ambiguous, write a retryable failure record, and let an operator decide (<c>startframe redrive --force</c>).</summary>
    Never,

    /// <summary>Accept the risk of a double charge: the next delivery (or the platform's retry) submits again.</summary>
    Resubmit,
}
