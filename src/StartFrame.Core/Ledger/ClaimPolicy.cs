namespace StartFrame.Core.Ledger;

/// <summary>
/// The pure decision behind a claim on an existing ledger entry, kept apart from storage so every branch
/// is tested directly. The storage side (<see cref="SubmissionLedger"/>) only makes it atomic with ETags.
/// </summary>
public static class ClaimPolicy
{
    /// <summary>What to do with an existing entry.</summary>
    public enum Action
    {
        /// <summary>Take it over (ETag-checked) and proceed.</summary>
        Take,

        /// <summary>Mark it ambiguous (ETag-checked); the caller writes a failure record.</summary>
        MarkAmbiguous,

        /// <summary>Leave it and report the given outcome.</summary>
        Report,
    }

    /// <summary>Decides what a run may do with <paramref name="existing"/>.</summary>
    public static (Action Action, ClaimOutcome Outcome) Decide(
        LedgerEntry existing,
        ClaimRequest request,
        DateTimeOffset now,
        TimeSpan lease,
        AmbiguousRetry ambiguousRetry)
    {
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(request);

        if (existing.BodyHash is not null && request.BodyHash is not null && existing.BodyHash != request.BodyHash)
        {
            return (Action.Report, ClaimOutcome.KeyReusedWithDifferentBody);
        }

        // A record (task or failure) or a first tracking message that could not be queued is owed first, whatever the state says.
        if (existing.OwesRecord)
        {
            return (Action.Report, ClaimOutcome.RecordPending);
        }

        // Once ModelStream has answered with a task id the submission happened: never call it ambiguous, never send it again.
        if (existing.TaskId is not null && existing.State is LedgerStates.Claimed or LedgerStates.Ambiguous or LedgerStates.Released)
        {
            return (Action.Report, ClaimOutcome.AlreadyRecorded);
        }

        switch (existing.State)
        {
            case LedgerStates.Waiting:
            case LedgerStates.Released:
            case LedgerStates.Redrive:
                return (Action.Take, ClaimOutcome.Claimed);
            case LedgerStates.Recorded:
                return (Action.Report, ClaimOutcome.AlreadyRecorded);
            case LedgerStates.Submitted:
                return (Action.Report, ClaimOutcome.AlreadyRecorded);
            case LedgerStates.Failed:
                // A refusal at the submit stage charged nothing (what may have been charged is Ambiguous, never Failed):
                // its key is not burnt, so the same request may claim it again once the cause (quota, key, an outage) is
                // fixed. A refusal by our own validation stands until the input changes: a refused image is tried again
                // when its sidecar was fixed (new sidecar ETag).
                var chargedNothing = existing.FailureStage == Records.FailureStages.Submit;
                var sidecarChanged = existing.FailureStage == Records.FailureStages.Validation
                    && request.SidecarEtag is not null && request.SidecarEtag != existing.SidecarEtag;
                return chargedNothing || sidecarChanged ? (Action.Take, ClaimOutcome.Claimed) : (Action.Report, ClaimOutcome.AlreadyFailed);
            case LedgerStates.Ambiguous:
                return ambiguousRetry == AmbiguousRetry.Resubmit ? (Action.Take, ClaimOutcome.Claimed) : (Action.Report, ClaimOutcome.AlreadyAmbiguous);
            case LedgerStates.Claimed:
                var expired = existing.ClaimedAt is null || existing.ClaimedAt.Value + lease <= now;
                if (!expired)
                {
                    return (Action.Report, ClaimOutcome.InProgress);
                }

                // The crashed run may have POSTed: the same rule as any ambiguous outcome, unless the input
                // cannot have passed validation (then it never reached the POST).
                return !request.InputIsValid || ambiguousRetry == AmbiguousRetry.Resubmit
                    ? (Action.Take, ClaimOutcome.Claimed)
                    : (Action.MarkAmbiguous, ClaimOutcome.MarkedAmbiguous);
            default:
                return (Action.Report, ClaimOutcome.InProgress);
        }
    }
}
