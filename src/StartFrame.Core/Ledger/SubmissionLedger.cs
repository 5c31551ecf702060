using Microsoft.Extensions.Options;
using StartFrame.Core.Records;

namespace StartFrame.Core.Ledger;

/// <summary>
/// The submission side of the idempotency ledger, as intents: a stage says what happened (claimed, waiting, the task was
/// accepted, refused, released, a record is owed or settled, a take archived, a redrive asked for) and only the ledger
/// knows which columns that sets. A claim is conditional (insert-if-absent, or an ETag-checked update of an entry the
/// <see cref="ClaimPolicy"/> lets us take), so exactly one run holds it however many deliveries race for the same key;
/// the outcome after the POST is the claim holder's word and is written without an ETag check. Every read and write
/// goes through the one <see cref="LedgerTable"/>.
/// </summary>
public sealed class SubmissionLedger(LedgerTable table, IOptions<StartFrameOptions> options, TimeProvider timeProvider)
{
    private const int MaxRaceRetries = 8;

    /// <summary>The longest failure summary kept on an entry (the failure record has the detail).</summary>
    private const int MaxLastErrorLength = 1024;

    /// <summary>Tries to take <paramref name="key"/> for this run.</summary>
    /// <returns>The outcome, the entry as it now stands (with its ETag when this run holds it), and the
    /// <c>traceparent</c> the entry held before this run met it (null for a new entry).</returns>
    public async Task<(ClaimOutcome Outcome, LedgerEntry Entry, string? MetTraceparent)> ClaimAsync(LedgerKey key, ClaimRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        for (var race = 0; ; race++)
        {
            var now = timeProvider.GetUtcNow();
            var fresh = NewEntry(key, request, now);
            if (await table.TryAddAsync(fresh, cancellationToken).ConfigureAwait(false))
            {
                return (ClaimOutcome.Claimed, fresh, null);
            }

            // Someone was here first: decide on what they left.
            var existing = await table.GetAsync(key, cancellationToken).ConfigureAwait(false);
            if (existing is null)
            {
                continue; // deleted between our insert and our read; insert again
            }

            var met = existing.Traceparent;
            var (action, outcome) = ClaimPolicy.Decide(existing, request, now, options.Value.ClaimLease, options.Value.AmbiguousRetry);
            if (action == ClaimPolicy.Action.Report)
            {
                return (outcome, existing, met);
            }

            var replacement = action == ClaimPolicy.Action.Take ? TakeOver(existing, request, now) : MarkAmbiguous(existing, request, now);
            if (race >= MaxRaceRetries)
            {
                // Enough races lost: let the ETag mismatch surface, and the platform deliver again.
                await table.ReplaceIfUnchangedAsync(replacement, cancellationToken).ConfigureAwait(false);
                return (outcome, replacement, met);
            }

            if (await table.TryReplaceAsync(replacement, cancellationToken).ConfigureAwait(false))
            {
                return (outcome, replacement, met);
            }

            // Another run changed the entry between our read and our update: read it again.
        }
    }

    /// <summary>Records that an image is waiting for its sidecar, unless the key already has an entry.</summary>
    /// <returns>True when this call created the waiting entry.</returns>
    public Task<bool> MarkWaitingAsync(LedgerKey key, ClaimRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var entry = NewEntry(key, request, timeProvider.GetUtcNow());
        entry.State = LedgerStates.Waiting;
        entry.ClaimId = null;
        entry.ClaimedAt = null;

        // Insert only: an upsert could overwrite a claim the sidecar's run took in the meantime.
        return table.TryAddAsync(entry, cancellationToken);
    }

    /// <summary>
    /// ModelStream accepted the task of the claim this run holds. With nothing <paramref name="owed"/> its record and first
    /// poll are on their queues (<c>recorded</c>); else what could not be queued is kept on the entry for the next
    /// delivery or the sweep to write (<c>submitted</c>: late, maybe twice, never lost).
    /// </summary>
    public Task RecordTaskAsync(LedgerEntry claim, AcceptedTask task, OwedWrites? owed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(task);
        claim.TaskId = task.TaskId;
        claim.Model = task.Model;
        claim.SubmittedAt = task.SubmittedAt;
        claim.TaskRecordJson = task.TaskRecordJson;
        claim.State = owed is null ? LedgerStates.Recorded : LedgerStates.Submitted;
        Owe(claim, owed);
        return SaveAsync(claim, cancellationToken);
    }

    /// <summary>
    /// The submission of the claim this run holds ended without a task: refused (<c>failed</c>) or of unknown outcome
    /// (<c>ambiguous</c>), as <paramref name="refusal"/> says. <paramref name="owedRecordJson"/> is its failure record when
    /// that could not be queued: kept on the entry until it is.
    /// </summary>
    public Task RecordRefusalAsync(LedgerEntry claim, LedgerRefusal refusal, string? owedRecordJson, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(refusal);
        Apply(claim, refusal);
        Owe(claim, owedRecordJson is null ? null : new OwedWrites(StartFrameOptions.FailuresQueue, owedRecordJson, null));
        return SaveAsync(claim, cancellationToken);
    }

    /// <summary>
    /// A transient failure: the claim is given back (<c>released</c>, or <c>ambiguous</c> when the operator lets ambiguous
    /// submissions be sent again) for the next delivery, with its count of attempts.
    /// </summary>
    public Task ReleaseAsync(LedgerEntry claim, LedgerRefusal refusal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(refusal);
        Apply(claim, refusal);
        return SaveAsync(claim, cancellationToken);
    }

    /// <summary>
    /// Every provider slot was taken, or ModelStream answered 429 for the one this run held: the claim is given back
    /// (<c>released</c>) for the run that looks again, without counting an attempt, and the first such time is kept
    /// (<see cref="LedgerEntry.SlotWaitSince"/>) so the wait ends by elapsed time.
    /// </summary>
    public Task WaitForSlotAsync(LedgerEntry claim, string code, string summary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        claim.SlotWaitSince ??= timeProvider.GetUtcNow();
        Apply(claim, new LedgerRefusal(LedgerStates.Released, Records.FailureStages.Submit, code, summary, ""));
        return SaveAsync(claim, cancellationToken);
    }

    /// <summary>What an entry owed is written now: the debt is cleared, and an accepted task is <c>recorded</c>.</summary>
    public Task SettleOwedAsync(LedgerEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        Owe(entry, null);
        if (entry.State == LedgerStates.Submitted)
        {
            entry.State = LedgerStates.Recorded;
        }

        return SaveAsync(entry, cancellationToken);
    }

    /// <summary>How long the claim on <paramref name="entry"/> still protects it (zero once its lease has run out).</summary>
    public TimeSpan LeaseLeft(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var left = (entry.ClaimedAt ?? DateTimeOffset.MinValue) + options.Value.ClaimLease - timeProvider.GetUtcNow();
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    /// <summary>
    /// Keeps a copy of a recorded take under its own row before the entry is taken again (<c>redrive --again</c>), so the
    /// first task stays findable by its id; idempotent when the copy exists already.
    /// </summary>
    public async Task ArchiveTakeAsync(LedgerEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var archived = LedgerKey.ArchivedTake(entry.PartitionKey, entry.RowKey, entry.TaskId ?? "");
        var copy = new LedgerEntry
        {
            PartitionKey = archived.PartitionKey,
            RowKey = archived.RowKey,
            State = entry.State,
            Origin = entry.Origin,
            Container = entry.Container,
            Blob = entry.Blob,
            ImageUrl = entry.ImageUrl,
            IdempotencyKey = entry.IdempotencyKey,
            SidecarEtag = entry.SidecarEtag,
            Model = entry.Model,
            TaskId = entry.TaskId,
            TaskRecordJson = entry.TaskRecordJson,
            CorrelationId = entry.CorrelationId,
            Traceparent = entry.Traceparent,
            SubmittedAt = entry.SubmittedAt,
            CreatedAt = entry.CreatedAt,
            UpdatedAt = timeProvider.GetUtcNow(),

            // The first take's tracking goes on on this copy: its polls find it by task id (TaskFinisher).
            TrackingState = entry.TrackingState,
            TrackingClaimId = entry.TrackingClaimId,
            TrackingClaimedAt = entry.TrackingClaimedAt,
            CompletedAt = entry.CompletedAt,
            VideoContainer = entry.VideoContainer,
            VideoBlob = entry.VideoBlob,
            VideoLength = entry.VideoLength,
            CompletionErrorCode = entry.CompletionErrorCode,
            CompletionErrorMessage = entry.CompletionErrorMessage,
            CompletionRecordJson = entry.CompletionRecordJson,
        };
        // False when an earlier, interrupted redrive archived it already.
        await table.TryAddAsync(copy, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The entry for <paramref name="key"/>, or null.</summary>
    public Task<LedgerEntry?> GetAsync(LedgerKey key, CancellationToken cancellationToken) => table.GetAsync(key, cancellationToken);

    /// <summary>The entry of a ModelStream task id (a query, not a point read: used by status look-ups only).</summary>
    public Task<LedgerEntry?> FindByTaskIdAsync(string taskId, CancellationToken cancellationToken) => table.FindByTaskIdAsync(taskId, cancellationToken);

    /// <summary>Marks a failed or ambiguous entry for another try (operators, via <c>startframe redrive</c>).</summary>
    public async Task<LedgerEntry> MarkForRedriveAsync(LedgerEntry entry, string correlationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        entry.State = LedgerStates.Redrive;
        entry.Attempts = 0;
        entry.SlotWaitSince = null;
        entry.CorrelationId = correlationId;
        entry.UpdatedAt = timeProvider.GetUtcNow();
        await table.ReplaceIfUnchangedAsync(entry, cancellationToken).ConfigureAwait(false);
        return entry;
    }

    private Task SaveAsync(LedgerEntry entry, CancellationToken cancellationToken)
    {
        entry.UpdatedAt = timeProvider.GetUtcNow();
        return table.ReplaceAsync(entry, cancellationToken);
    }

    private static void Owe(LedgerEntry entry, OwedWrites? owed)
    {
        entry.RecordQueue = owed?.RecordQueue;
        entry.RecordJson = owed?.RecordJson;
        entry.TrackingJson = owed?.TrackingJson;
    }

    private static void Apply(LedgerEntry entry, LedgerRefusal refusal)
    {
        entry.State = refusal.State;
        entry.FailureStage = refusal.Stage;
        entry.LastErrorCode = refusal.Code;
        entry.LastErrorMessage = RecordLimits.Cut(refusal.Summary, MaxLastErrorLength - refusal.More.Length) + refusal.More;
        if (refusal.Attempts is { } attempts)
        {
            entry.Attempts = attempts;
        }
    }

    private static LedgerEntry NewEntry(LedgerKey key, ClaimRequest request, DateTimeOffset now) => new()
    {
        PartitionKey = key.PartitionKey,
        RowKey = key.RowKey,
        State = LedgerStates.Claimed,
        Origin = request.Origin,
        Container = request.Container,
        Blob = request.Blob,
        ImageUrl = request.ImageUrl,
        IdempotencyKey = request.IdempotencyKey,
        SidecarEtag = request.SidecarEtag,
        BodyHash = request.BodyHash,
        Model = request.Model,
        ClaimId = request.ClaimId,
        ClaimedAt = now,
        CorrelationId = request.CorrelationId,
        Traceparent = request.Traceparent,
        CreatedAt = now,
        UpdatedAt = now,
    };

    private static LedgerEntry TakeOver(LedgerEntry existing, ClaimRequest request, DateTimeOffset now)
    {
        // A refusal claimed again starts a fresh count of transient failures; a released claim goes on counting.
        if (existing.State == LedgerStates.Failed)
        {
            existing.Attempts = 0;
            existing.SlotWaitSince = null;
        }

        existing.State = LedgerStates.Claimed;
        existing.ClaimId = request.ClaimId;
        existing.ClaimedAt = now;
        existing.CorrelationId = request.CorrelationId;
        existing.Traceparent = request.Traceparent;
        existing.SidecarEtag = request.SidecarEtag ?? existing.SidecarEtag;
        existing.Model = request.Model ?? existing.Model;
        existing.BodyHash = request.BodyHash ?? existing.BodyHash;
        existing.UpdatedAt = now;

        // A taken entry has no task yet; a new take of a recorded one (redrive --again) keeps the old task, and where its
        // tracking stands, in its archived copy.
        existing.TaskId = null;
        existing.TaskRecordJson = null;
        existing.SubmittedAt = null;
        existing.TrackingJson = null;
        existing.TrackingState = null;
        existing.TrackingClaimId = null;
        existing.TrackingClaimedAt = null;
        existing.CompletedAt = null;
        existing.VideoContainer = null;
        existing.VideoBlob = null;
        existing.VideoLength = null;
        existing.CompletionErrorCode = null;
        existing.CompletionErrorMessage = null;
        existing.CompletionRecordJson = null;
        return existing;
    }

    private static LedgerEntry MarkAmbiguous(LedgerEntry existing, ClaimRequest request, DateTimeOffset now)
    {
        existing.State = LedgerStates.Ambiguous;
        existing.FailureStage = Records.FailureStages.Submit;
        existing.LastErrorCode = "claim_expired";
        existing.LastErrorMessage = "A previous run claimed this submission and did not finish within the claim lease; it may have reached ModelStream.";
        existing.CorrelationId = request.CorrelationId;

        // This run writes the failure record, in its own trace; its claim span links to the expired claim's.
        existing.Traceparent = request.Traceparent;
        existing.UpdatedAt = now;
        return existing;
    }
}
