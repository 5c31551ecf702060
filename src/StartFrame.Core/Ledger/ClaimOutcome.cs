namespace StartFrame.Core.Ledger;

/// <summary>What a claim attempt came to; only <see cref="Claimed"/> may POST.</summary>
public enum ClaimOutcome
{
    /// <summary>This run holds the claim: it may submit (or record a refusal).</summary>
    Claimed,

    /// <summary>A record (task or failure) could not be queued before: write the kept record now.</summary>
    RecordPending,

    /// <summary>Already recorded: nothing to do.</summary>
    AlreadyRecorded,

    /// <summary>Already refused for good with the same inputs: nothing to do.</summary>
    AlreadyFailed,

    /// <summary>Another run holds a live claim: nothing to do now.</summary>
    InProgress,

    /// <summary>Already ambiguous and automatic re-submission is off: an operator decides (redrive --force).</summary>
    AlreadyAmbiguous,

    /// <summary>A crashed run's claim outlived its lease; it was marked ambiguous, and the caller writes the failure record.</summary>
    MarkedAmbiguous,

    /// <summary>The same idempotency key came with a different body.</summary>
    KeyReusedWithDifferentBody,
}
