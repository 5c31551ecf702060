using StartFrame.Core.Admission;
using StartFrame.Core.Ledger;
using StartFrame.Core.Records;
using StartFrame.Core.Telemetry;

namespace StartFrame.Core.Submitting;

/// <summary>
/// The one routine every way in (blob upload, HTTP, queue, re-check) calls once it has resolved its image and key:
/// claim in the ledger, then submit, refuse, settle what an earlier run left, or say why not. Only a
/// <see cref="ClaimOutcome.Claimed"/> claim may POST, so a submission is charged at most once whatever the way in.
/// It does not throw for what the caller must answer (unavailable, a record owed): those come back as outcomes.
/// Under admission control (<c>ModelStream__MaxConcurrentTasks</c>) a claimed submission then takes a provider slot
/// before its POST; without one it gives the claim back (not an attempt) and comes back as
/// <see cref="SubmitStatus.WaitingForSlot"/>, for the way in to look again later — as a delayed queue message, never a
/// sleeping invocation — and to stand in the <see cref="WaitingLine"/> at the place the outcome names.
/// </summary>
public sealed class ClaimAndSubmit(SubmissionLedger ledger, ClaimedSubmitter submitter, ProviderSlots slots, WaitingLine line, StageSpans spans)
{
    /// <summary>Claims and submits <paramref name="submission"/>.</summary>
    public async Task<SubmitOutcome> RunAsync(Submission submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var (claimed, entry) = await ClaimAsync(submission, cancellationToken).ConfigureAwait(false);
        switch (claimed)
        {
            case ClaimOutcome.Claimed:
                try
                {
                    if (submission.Plan is null)
                    {
                        return await submitter.RejectAsync(submission.Context, entry, submission.Subject, cancellationToken).ConfigureAwait(false);
                    }

                    if (!slots.Enabled)
                    {
                        return await submitter.SubmitAsync(submission.Plan, entry, submission.Subject, slot: null, cancellationToken).ConfigureAwait(false);
                    }

                    return await AdmitAsync(submission, submission.Plan, entry, cancellationToken).ConfigureAwait(false);
                }
                catch (TransientSubmissionException ex) when (entry.OwesRecord)
                {
                    // The answer (ModelStream's, or the refusal) is decided; only writing it down failed, and the ledger holds the debt.
                    return new SubmitOutcome { Status = SubmitStatus.RecordOwed, Entry = entry, EarlierRecordJson = entry.OwedTaskRecordJson, Transient = ex };
                }
                catch (TransientSubmissionException ex)
                {
                    return new SubmitOutcome
                    {
                        Status = SubmitStatus.Unavailable,
                        Entry = entry,
                        Errors = [new RecordError("request", "unavailable", ex.Message)],
                        RetryAfter = ex.RetryAfter,
                        Transient = ex,
                    };
                }

            case ClaimOutcome.RecordPending:
                // An owed task record, or only the first tracking message (the task record is then the one kept); an owed
                // failure record has no task record to answer from. Read before the debt is settled.
                var owed = entry.OwedTaskRecordJson;
                await submitter.WriteOwedRecordAsync(entry, submission.Subject, submission.Context.CorrelationId, cancellationToken).ConfigureAwait(false);
                return new SubmitOutcome { Status = SubmitStatus.RecordWritten, Entry = entry, EarlierRecordJson = owed };

            case ClaimOutcome.MarkedAmbiguous:
                var expired = submission.Context with { Errors = [new RecordError("request", entry.LastErrorCode ?? "claim_expired", entry.LastErrorMessage ?? "")] };
                return await submitter.RecordExpiredClaimAsync(expired, entry, submission.Subject, cancellationToken).ConfigureAwait(false);

            case ClaimOutcome.AlreadyRecorded:
                return new SubmitOutcome { Status = SubmitStatus.AlreadySubmitted, Entry = entry, EarlierRecordJson = entry.TaskRecordJson };
            case ClaimOutcome.AlreadyFailed:
                return new SubmitOutcome { Status = SubmitStatus.AlreadyRefused, Entry = entry, Errors = LastError(entry) };
            case ClaimOutcome.AlreadyAmbiguous:
                return new SubmitOutcome { Status = SubmitStatus.AlreadyAmbiguous, Entry = entry, Errors = LastError(entry) };
            case ClaimOutcome.KeyReusedWithDifferentBody:
                return new SubmitOutcome { Status = SubmitStatus.KeyConflict, Entry = entry };
            default:
                // The rest of the other run's lease: looking again before that can only meet the same claim.
                return new SubmitOutcome { Status = SubmitStatus.InProgress, Entry = entry, RetryAfter = ledger.LeaseLeft(entry) };
        }
    }

    private static IReadOnlyList<RecordError> LastError(LedgerEntry entry) =>
        [new RecordError("request", entry.LastErrorCode ?? "refused", entry.LastErrorMessage ?? "Refused earlier.")];

    /// <summary>
    /// Admission control for a claimed, valid submission: an upload stands in the <see cref="WaitingLine"/> at its upload
    /// time and takes a slot only when no live upload ahead of it is left without one; a submission that is not an upload
    /// of ours (HTTP, queue) takes any free slot. Without one the claim is given back, not an attempt, until
    /// <see cref="StartFrameOptions.SlotWaitLimit"/> has passed since it first waited.
    /// </summary>
    private async Task<SubmitOutcome> AdmitAsync(Submission submission, SubmissionPlan plan, LedgerEntry entry, CancellationToken cancellationToken)
    {
        var place = plan.UploadedImage?.UploadedAt is { } uploadedAt ? WaitingLine.PlaceOf(uploadedAt, entry.PartitionKey, entry.RowKey) : null;
        SlotLease? slot;
        int ahead;
        try
        {
            (slot, ahead) = await TakeSlotAsync(entry, place, cancellationToken).ConfigureAwait(false);
        }
        catch (Azure.RequestFailedException ex)
        {
            // The slots could not be read or written (storage): nothing was sent. Give the claim back as a wait, or the
            // claim would outlive its lease and be taken for a POST whose outcome is unknown.
            return await submitter.WaitForSlotAsync(entry, submission.Subject, "admission_unavailable",
                $"the provider slots could not be read (storage answered {ex.Status}); nothing was sent", null, cancellationToken).ConfigureAwait(false);
        }

        if (slot is not null)
        {
            if (place is not null)
            {
                await line.LeaveAsync(place, cancellationToken).ConfigureAwait(false);
            }

            return await submitter.SubmitAsync(plan, entry, submission.Subject, slot, cancellationToken).ConfigureAwait(false);
        }

        if (slots.WaitedTooLong(entry.SlotWaitSince))
        {
            if (place is not null)
            {
                await line.LeaveAsync(place, cancellationToken).ConfigureAwait(false);
            }

            return await submitter.GiveUpWaitingAsync(plan, entry, submission.Subject, cancellationToken).ConfigureAwait(false);
        }

        // Stood in line by the way in, once it knows the message it looks again with (a slot given back wakes that one).
        var waiting = await submitter.WaitForSlotAsync(entry, submission.Subject, "waiting_for_slot", SlotWait.Describe(ahead), null, cancellationToken).ConfigureAwait(false);
        return place is null ? waiting : waiting with { Line = new LinePlace(place, ahead) };
    }

    /// <summary>Taking a provider slot, as a span of its own: the stage that decides whether this run may POST now.</summary>
    private async Task<(SlotLease? Slot, int Ahead)> TakeSlotAsync(LedgerEntry entry, string? place, CancellationToken cancellationToken)
    {
        using var span = StageSpans.Start(SpanNames.Admission);
        var inLine = place is null ? [] : await line.AheadOfAsync(place, cancellationToken).ConfigureAwait(false);
        var (slot, ahead) = await slots.TryTakeAsync(entry.ClaimId ?? Guid.NewGuid().ToString("N"), place, inLine, cancellationToken).ConfigureAwait(false);
        spans.Tag(span, TagNames.Outcome, slot is null ? "waiting" : "admitted");
        StageSpans.Tag(span, TagNames.Ahead, ahead);
        return (slot, ahead);
    }

    /// <summary>
    /// The claim, as a span of its own: the stage that decides whether this run may POST. When the entry it meets was
    /// another trace's (the run for an image's other event, a crashed or redriven take, a replayed or reused
    /// idempotency key), the span links to it, so the two traces lead to each other.
    /// </summary>
    private async Task<(ClaimOutcome Outcome, LedgerEntry Entry)> ClaimAsync(Submission submission, CancellationToken cancellationToken)
    {
        using var span = StageSpans.Start(SpanNames.Claim);
        var (outcome, entry, met) = await ledger.ClaimAsync(submission.Key, submission.Claim, cancellationToken).ConfigureAwait(false);
        spans.Tag(span, TagNames.Outcome, outcome.ToString());
        StageSpans.LinkOtherTrace(span, met);
        return (outcome, entry);
    }
}
