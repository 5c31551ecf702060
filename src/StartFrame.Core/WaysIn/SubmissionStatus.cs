namespace StartFrame.Core.WaysIn;

/// <summary>How a submission ended, in the terms an HTTP caller or a script needs.</summary>
public enum SubmissionStatus
{
    /// <summary>ModelStream accepted it (now, or earlier under the same idempotency key): 202 with the task record.</summary>
    Accepted,

    /// <summary>The input was refused before any credit was spent: 400 with every error.</summary>
    Invalid,

    /// <summary>The idempotency key was used before with a different body: 422.</summary>
    KeyConflict,

    /// <summary>The key is being submitted right now by another call: 409, retry shortly.</summary>
    InProgress,

    /// <summary>ModelStream is throttling or unavailable; nothing was charged: 503 with Retry-After.</summary>
    Unavailable,

    /// <summary>ModelStream may or may not have accepted it; not re-sent: 502.</summary>
    Ambiguous,

    /// <summary>ModelStream refused it for good (400/401/402/403), or it was refused earlier under this key: 502 naming the cause.</summary>
    Refused,
}
