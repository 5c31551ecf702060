using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using StartFrame.Core.Redaction;

namespace StartFrame.Core.Ledger;

/// <summary>
/// The idempotency ledger in Azure Table storage: a conditional claim before the POST (insert-if-absent, or an
/// ETag-checked update of an entry the <see cref="ClaimPolicy"/> lets us take) and the outcome after it.
/// Exactly one run can hold a claim, however many deliveries race for the same key. Every write passes through
/// <see cref="LedgerRowRules"/>: the <see cref="Redactor"/> and the row limits of <see cref="LedgerText"/>.
/// </summary>
public sealed class SubmissionLedger(TableServiceClient tables, IOptions<StartFrameOptions> options, TimeProvider timeProvider, Redactor redactor)
{
    private const int MaxRaceRetries = 8;
    private const int MaxTaskIdLength = 1024;
    private readonly TableClient _table = tables.GetTableClient(StartFrameOptions.LedgerTable);

    /// <summary>Tries to take <paramref name="key"/> for this run.</summary>
    /// <returns>The outcome and the entry as it now stands (with its ETag when this run holds it).</returns>
    public async Task<(ClaimOutcome Outcome, LedgerEntry Entry)> ClaimAsync(LedgerKey key, ClaimRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        for (var race = 0; ; race++)
        {
            var now = timeProvider.GetUtcNow();
            var fresh = NewEntry(key, request, now);
            try
            {
                var added = await _table.AddEntityAsync(Outgoing(fresh), cancellationToken).ConfigureAwait(false);
                fresh.ETag = added.Headers.ETag ?? default;
                return (ClaimOutcome.Claimed, fresh);
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
                // Someone was here first: decide on what they left.
            }

            var existing = await GetAsync(key, cancellationToken).ConfigureAwait(false);
            if (existing is null)
            {
                continue; // deleted between our insert and our read; insert again
            }

            var (action, outcome) = ClaimPolicy.Decide(existing, request, now, options.Value.ClaimLease, options.Value.AmbiguousRetry);
            if (action == ClaimPolicy.Action.Report)
            {
                return (outcome, existing);
            }

            var replacement = action == ClaimPolicy.Action.Take ? TakeOver(existing, request, now) : MarkAmbiguous(existing, request, now);
            try
            {
                var updated = await _table.UpdateEntityAsync(Outgoing(replacement), existing.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                replacement.ETag = updated.Headers.ETag ?? default;
                return (outcome, replacement);
            }
            catch (RequestFailedException ex) when (ex.Status == 412 && race < MaxRaceRetries)
            {
                // Another run changed the entry between our read and our update: read it again.
            }
        }
    }

    /// <summary>Records that an image is waiting for its sidecar, unless the key already has an entry.</summary>
    /// <returns>True when this call created the waiting entry.</returns>
    public async Task<bool> MarkWaitingAsync(LedgerKey key, ClaimRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var entry = NewEntry(key, request, timeProvider.GetUtcNow());
        entry.State = LedgerStates.Waiting;
        entry.ClaimId = null;
        entry.ClaimedAt = null;
        try
        {
            // Insert only: an upsert could overwrite a claim the sidecar's run took in the meantime.
            await _table.AddEntityAsync(Outgoing(entry), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Writes the outcome of a claim this run holds. The claim holder's word is final, so no ETag check.</summary>
    public async Task SaveAsync(LedgerEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        entry.UpdatedAt = timeProvider.GetUtcNow();
        var response = await _table.UpdateEntityAsync(Outgoing(entry), ETag.All, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        entry.ETag = response.Headers.ETag ?? default;
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
        try
        {
            await _table.AddEntityAsync(Outgoing(copy), cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Archived by an earlier, interrupted redrive.
        }
    }

    /// <summary>The entry for <paramref name="key"/>, or null.</summary>
    public async Task<LedgerEntry?> GetAsync(LedgerKey key, CancellationToken cancellationToken)
    {
        var response = await _table.GetEntityIfExistsAsync<LedgerEntry>(key.PartitionKey, key.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>Finds the entry of a ModelStream task id (a query, not a point read: used by status look-ups only).</summary>
    public async Task<LedgerEntry?> FindByTaskIdAsync(string taskId, CancellationToken cancellationToken)
    {
        // A task id is ModelStream's (a dozen characters); a query for a text of any length the caller sends would
        // only make the table refuse the request.
        if (string.IsNullOrEmpty(taskId) || taskId.Length > MaxTaskIdLength)
        {
            return null;
        }

        await foreach (var entry in _table.QueryAsync<LedgerEntry>(e => e.TaskId == taskId, maxPerPage: 1, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            return entry;
        }

        return null;
    }

    /// <summary>Marks a failed or ambiguous entry for another try (operators, via <c>startframe redrive</c>).</summary>
    public async Task<LedgerEntry> MarkForRedriveAsync(LedgerEntry entry, string correlationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        entry.State = LedgerStates.Redrive;
        entry.Attempts = 0;
        entry.CorrelationId = correlationId;
        entry.UpdatedAt = timeProvider.GetUtcNow();
        var response = await _table.UpdateEntityAsync(Outgoing(entry), entry.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        entry.ETag = response.Headers.ETag ?? default;
        return entry;
    }

    /// <summary>
    /// The entry as it may be stored: secrets redacted from every text (records as a whole, before they are split),
    /// and texts that are not records kept within one property. Keys, states and ids are ours and left alone.
    /// </summary>
    private LedgerEntry Outgoing(LedgerEntry entry) => LedgerRowRules.Apply(entry, redactor);

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
        CreatedAt = now,
        UpdatedAt = now,
    };

    private static LedgerEntry TakeOver(LedgerEntry existing, ClaimRequest request, DateTimeOffset now)
    {
        // A refusal claimed again starts a fresh count of transient failures; a released claim goes on counting.
        if (existing.State == LedgerStates.Failed)
        {
            existing.Attempts = 0;
        }

        existing.State = LedgerStates.Claimed;
        existing.ClaimId = request.ClaimId;
        existing.ClaimedAt = now;
        existing.CorrelationId = request.CorrelationId;
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
        existing.UpdatedAt = now;
        return existing;
    }
}
