namespace StartFrame.Core.Submitting;

/// <summary>What one claim-and-submit came to. In-process only: each way in words it for its own callers.</summary>
public enum SubmitStatus
{
    /// <summary>ModelStream accepted it now; the task record and its first poll are queued.</summary>
    Submitted,

    /// <summary>Refused before the POST (input, image changed, not sendable) or by ModelStream for good; failure record written.</summary>
    Rejected,

    /// <summary>ModelStream may or may not have started it; failure record written, nothing re-sent.</summary>
    Ambiguous,

    /// <summary>ModelStream stayed unavailable through every attempt; failure record written.</summary>
    GaveUp,

    /// <summary>Nothing charged (throttled, unreachable); the claim is given back and the next delivery may try.</summary>
    Unavailable,

    /// <summary>Every provider slot is taken (or ModelStream answered 429): nothing charged, not an attempt; the claim is
    /// given back and the way in looks again after <see cref="SubmitOutcome.RetryAfter"/>.</summary>
    WaitingForSlot,

    /// <summary>ModelStream answered but its record could not be queued; the ledger owes it and a redelivery or the sweep writes it.</summary>
    RecordOwed,

    /// <summary>A record an earlier run owed is now written.</summary>
    RecordWritten,

    /// <summary>An earlier run already submitted it: nothing sent again.</summary>
    AlreadySubmitted,

    /// <summary>Refused earlier with the same inputs: nothing sent, no new record.</summary>
    AlreadyRefused,

    /// <summary>An earlier submission's outcome is unknown and is not re-sent automatically.</summary>
    AlreadyAmbiguous,

    /// <summary>Another run holds the claim (live, or in a state that is not this run's to settle).</summary>
    InProgress,

    /// <summary>The same idempotency key came with a different body.</summary>
    KeyConflict,
}
