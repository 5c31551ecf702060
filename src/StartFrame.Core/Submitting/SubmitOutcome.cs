using System.Runtime.ExceptionServices;
using StartFrame.Core.Ledger;
using StartFrame.Core.Records;

namespace StartFrame.Core.Submitting;

/// <summary>What <see cref="ClaimAndSubmit"/> came to, with what every way in needs to answer its caller.</summary>
public sealed record SubmitOutcome
{
    /// <summary>The outcome.</summary>
    public required SubmitStatus Status { get; init; }

    /// <summary>The ledger entry as the routine left it (the task id, the last error, when the claim was taken).</summary>
    public required LedgerEntry Entry { get; init; }

    /// <summary>The task record, when submitted now.</summary>
    public TaskRecord? Record { get; init; }

    /// <summary>The task record as JSON to answer from, for outcomes decided earlier (already submitted, written or owed
    /// now); null when that earlier answer was a failure record.</summary>
    public string? EarlierRecordJson { get; init; }

    /// <summary>Why it was refused, ambiguous or gave up.</summary>
    public IReadOnlyList<RecordError> Errors { get; init; } = [];

    /// <summary>A sentence for people the routine alone can say (what ModelStream's answer means), when there is one.</summary>
    public string? Detail { get; init; }

    /// <summary>When to look again: ModelStream's Retry-After (unavailable), or the rest of another run's claim (in progress).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>For <see cref="SubmitStatus.WaitingForSlot"/> of an upload that found no slot: its place in the
    /// <see cref="Admission.WaitingLine"/>, where the way in stands once it has queued its look again (so the row can name
    /// that message, and a slot given back can wake it). Null when it waits for another reason or stands in no line.</summary>
    public Admission.LinePlace? Line { get; init; }

    /// <summary>For <see cref="SubmitStatus.Unavailable"/> and <see cref="SubmitStatus.RecordOwed"/>: why, as the exception a
    /// way in throws when its platform must deliver again.</summary>
    public TransientSubmissionException? Transient { get; init; }

    /// <summary>Throws <see cref="Transient"/> with its original stack, for ways in whose platform redelivers on failure.</summary>
    public void ThrowForRedelivery()
    {
        if (Transient is not null)
        {
            ExceptionDispatchInfo.Throw(Transient);
        }
    }
}
