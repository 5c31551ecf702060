using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelStream.Client;
using StartFrame.Core.Admission;
using StartFrame.Core.Catalog;
using StartFrame.Core.Ledger;
using StartFrame.Core.Polling;
using StartFrame.Core.Records;
using StartFrame.Core.Redaction;
using StartFrame.Core.Telemetry;

namespace StartFrame.Core.Submitting;

/// <summary>
/// The part every way in shares once a claim is held: issue the image URL, POST, queue the record (and the task's first
/// tracking message), record the outcome in the ledger. A record is always queued before the ledger says it was, so a
/// crash between the two can only duplicate a record (same task id), never lose one; the same holds for tracking. Once
/// ModelStream has answered with a task id, the bookkeeping runs to its end even if the caller gives up, so a known
/// task is never taken for an ambiguous one.
/// </summary>
public sealed class ClaimedSubmitter(
    ModelStreamClient modelStream,
    ImageUrlIssuer urlIssuer,
    RecordWriter records,
    SubmissionLedger ledger,
    OwedRecordIndex owedRecords,
    Redactor redactor,
    StageSpans spans,
    FirstPoll firstPolls,
    ModelCatalog catalog,
    TrackingQueueClient tracking,
    ProviderSlots slots,
    IOptions<StartFrameOptions> options,
    TimeProvider timeProvider,
    ILogger<ClaimedSubmitter> logger)
{
    /// <summary>Submits a plan whose ledger claim this run holds.</summary>
    /// <param name="plan">What to submit.</param>
    /// <param name="claim">The claim this run holds.</param>
    /// <param name="subject">The upload or request, for logs.</param>
    /// <param name="slot">The provider slot this run holds under admission control, or null when it is off. With a slot, a
    /// 429 is not retried in-process and is not an attempt: the slot and the claim are given back and the outcome is
    /// <see cref="SubmitStatus.WaitingForSlot"/>.</param>
    /// <param name="cancellationToken">Cancels the work before the POST is answered.</param>
    /// <exception cref="TransientSubmissionException">Nothing was charged; the next delivery may try again.</exception>
    public async Task<SubmitOutcome> SubmitAsync(SubmissionPlan plan, LedgerEntry claim, string subject, SlotLease? slot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(claim);

        // The context of the way in's span (the first look's, for an upload submitted on a later look): what the records
        // carry, so polls hours later join this trace as children of the upload, beside its looks.
        var traceparent = TraceParent.OfWayIn();
        Uri imageUrl;
        try
        {
            imageUrl = plan.ImageBlob is not null
                ? await urlIssuer.IssueReadUrlAsync(plan.ImageBlob, plan.UploadedImage ?? throw new InvalidOperationException("A blob plan needs the validated image head."), options.Value.SasLifetime, cancellationToken).ConfigureAwait(false)
                : plan.ImageUrl ?? throw new InvalidOperationException("A submission plan needs an image blob or URL.");
        }
        catch (ImageChangedException ex)
        {
            await GiveBackAsync(slot).ConfigureAwait(false);
            var changed = new SubmissionPlanFailure { Origin = plan.Origin, Source = plan.Source, Sidecar = plan.Sidecar, CorrelationId = plan.CorrelationId, Errors = [new RecordError("image", "image_changed", ex.Message)] };
            return await RejectAsync(changed, claim, subject, cancellationToken).ConfigureAwait(false);
        }

        var request = plan.BuildRequest(imageUrl.AbsoluteUri);
        VideoGenerationResult result;
        try
        {
            result = await PostAsync(request, plan.CorrelationId, retryThrottled: slot is null, cancellationToken).ConfigureAwait(false);
        }
        catch (ModelStreamException ex) when (slot is not null && ex.Status == 429)
        {
            // The account is at its limit after all (another user of the key, a slot freed early, a lowered limit):
            // not an attempt. The slot and the claim are given back and the way in looks again after the Retry-After.
            await GiveBackAsync(slot).ConfigureAwait(false);
            await slots.NoteThrottledAsync(slot, CancellationToken.None).ConfigureAwait(false);
            return await WaitForSlotAsync(claim, subject, SlotWait.Throttled, redactor.Text(ex.Message) ?? "", ex.RetryAfter, cancellationToken).ConfigureAwait(false);
        }
        catch (ModelStreamException ex)
        {
            // A POST that may have been accepted keeps its slot until the slot's lease ends: its task may be running.
            if (ex.Kind != ModelStreamFailureKind.Ambiguous)
            {
                await GiveBackAsync(slot).ConfigureAwait(false);
            }

            return await HandleFailureAsync(plan, claim, subject, ex, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            // The client refused the request before sending a byte: nothing can have been charged, so never ambiguous.
            await GiveBackAsync(slot).ConfigureAwait(false);
            return await RefuseUnsentAsync(plan, claim, subject, ex, cancellationToken).ConfigureAwait(false);
        }

        var record = new TaskRecord
        {
            TaskId = result.TaskId,
            Status = result.Status,
            Model = request.Model,
            SubmittedAt = timeProvider.GetUtcNow(),
            Origin = plan.Origin,
            Source = plan.Source,
            Sidecar = plan.Sidecar,
            Parameters = WithoutSas(request),
            CorrelationId = plan.CorrelationId,
            Traceparent = traceparent,
        };
        var task = new AcceptedTask(record.TaskId, record.Model, record.SubmittedAt, RecordJson.Serialize(record));
        Log.Submitted(logger, plan.Source.Container ?? "", Safe(plan.Source.Blob ?? plan.Source.Url), Safe(record.TaskId), Safe(record.Model));

        // ModelStream has the task: record it even if the caller stops waiting (a host shutting down), or the claim
        // would outlive its lease and be taken for a POST whose outcome is unknown.
        // Tracking starts here, for every way in: the first poll is queued with the record, under the same rule.
        if (slot is not null)
        {
            await BindAsync(slot, record.TaskId).ConfigureAwait(false);
        }

        var firstMessage = await firstPolls.ForAsync(record.TaskId, claim.PartitionKey, claim.RowKey, record.SubmittedAt, catalog.IsOffPeak(request.Model, request.Fields, request.Metadata), request, plan.CorrelationId).ConfigureAwait(false);
        await RecordTaskAsync(claim, task, firstMessage with { Traceparent = traceparent }, subject).ConfigureAwait(false);
        StartFrameMetrics.Upload(SubmitStatus.Submitted.ToString(), null);
        return new SubmitOutcome { Status = SubmitStatus.Submitted, Entry = claim, Record = record };
    }

    /// <summary>
    /// No provider slot for the claim this run holds (or a 429 on the one it held): the claim is given back without
    /// counting an attempt, and the outcome says when to look again.
    /// </summary>
    public async Task<SubmitOutcome> WaitForSlotAsync(LedgerEntry claim, string subject, string code, string summary, TimeSpan? retryAfter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        await ledger.WaitForSlotAsync(claim, code, summary, cancellationToken).ConfigureAwait(false);
        var wait = slots.NextLook(retryAfter);
        Log.WaitingForSlot(logger, Safe(subject), code, Math.Round(wait.TotalSeconds, 1));
        StartFrameMetrics.Upload(SubmitStatus.WaitingForSlot.ToString(), code);
        return new SubmitOutcome
        {
            Status = SubmitStatus.WaitingForSlot,
            Entry = claim,
            Errors = [new RecordError("request", code, summary)],
            RetryAfter = wait,
        };
    }

    /// <summary>
    /// A submission waited <see cref="StartFrameOptions.SlotWaitLimit"/> for a provider slot without getting one: a
    /// retryable failure record (<c>no_provider_slot</c>); nothing was charged, so a redrive may claim it again.
    /// </summary>
    public async Task<SubmitOutcome> GiveUpWaitingAsync(SubmissionPlan plan, LedgerEntry claim, string subject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(claim);
        var waited = timeProvider.GetUtcNow() - (claim.SlotWaitSince ?? timeProvider.GetUtcNow());
        var failure = new SubmissionPlanFailure
        {
            Origin = plan.Origin,
            Source = plan.Source,
            Sidecar = plan.Sidecar,
            CorrelationId = plan.CorrelationId,
            Errors = [new RecordError("request", "no_provider_slot", string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"no ModelStream slot came free in {waited.TotalHours:0.#} h (StartFrame__SlotWaitLimit); nothing was charged, redrive it to try again"))],
        };
        var record = failure.ToRecord(FailureStages.Submit, retryable: true, timeProvider.GetUtcNow());
        Log.GaveUp(logger, Safe(subject), claim.Attempts);
        await RecordRefusalAsync(claim, record, LedgerRefusal.Of(record, LedgerStates.Failed), subject, cancellationToken).ConfigureAwait(false);
        return new SubmitOutcome { Status = SubmitStatus.GaveUp, Entry = claim, Errors = record.Errors };
    }

    /// <summary>Refuses a claimed submission whose input did not validate: failure record, ledger <c>failed</c>.</summary>
    public async Task<SubmitOutcome> RejectAsync(SubmissionPlanFailure failure, LedgerEntry claim, string subject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(failure);
        ArgumentNullException.ThrowIfNull(claim);
        var record = failure.ToRecord(FailureStages.Validation, retryable: false, timeProvider.GetUtcNow());
        LogRejected(subject, record);
        await RecordRefusalAsync(claim, record, LedgerRefusal.Of(record, LedgerStates.Failed), subject, cancellationToken).ConfigureAwait(false);
        return new SubmitOutcome { Status = SubmitStatus.Rejected, Entry = claim, Errors = record.Errors };
    }

    /// <summary>Writes a failure record for input that never gets a ledger entry (a file that is not an upload at all, an invalid message).</summary>
    public Task WriteRejectionWithoutClaimAsync(SubmissionPlanFailure failure, string subject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var record = failure.ToRecord(FailureStages.Validation, retryable: false, timeProvider.GetUtcNow());
        LogRejected(subject, record);
        return records.WriteAsync(record, cancellationToken);
    }

    /// <summary>Writes a record an earlier run owed (its queue write failed), then clears the debt.</summary>
    public async Task<SubmitOutcome> WriteOwedRecordAsync(LedgerEntry entry, string subject, string correlationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var queue = entry.OwedQueue;
        if (entry.RecordQueue is not null)
        {
            var json = entry.RecordJson ?? entry.TaskRecordJson ?? throw new InvalidOperationException($"The ledger owes a record of {subject} to {queue} but holds none.");
            await records.WriteAsync(queue, json, cancellationToken).ConfigureAwait(false);
        }

        if (entry.TrackingJson is not null)
        {
            await tracking.ScheduleAsync(entry.TrackingJson, cancellationToken).ConfigureAwait(false);
        }

        await ledger.SettleOwedAsync(entry, cancellationToken).ConfigureAwait(false);
        Log.RecordWritten(logger, Safe(subject), queue);
        return new SubmitOutcome { Status = SubmitStatus.RecordWritten, Entry = entry };
    }

    /// <summary>Writes a failure record for a claim a crashed run left behind (marked ambiguous by the ledger).</summary>
    public async Task<SubmitOutcome> RecordExpiredClaimAsync(SubmissionPlanFailure context, LedgerEntry entry, string subject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(entry);
        var record = context.ToRecord(FailureStages.Submit, retryable: false, timeProvider.GetUtcNow(), ambiguous: true);
        Log.Ambiguous(logger, Safe(subject), 0, "claim_expired");
        // The ledger marked it ambiguous with why (claim_expired) when it took the claim: its words stay.
        var refusal = new LedgerRefusal(LedgerStates.Ambiguous, entry.FailureStage ?? FailureStages.Submit, entry.LastErrorCode ?? "claim_expired", entry.LastErrorMessage ?? "", "");
        await RecordRefusalAsync(entry, record, refusal, subject, cancellationToken).ConfigureAwait(false);
        return new SubmitOutcome { Status = SubmitStatus.Ambiguous, Entry = entry, Errors = record.Errors };
    }

    private async Task<SubmitOutcome> RefuseUnsentAsync(SubmissionPlan plan, LedgerEntry claim, string subject, ArgumentException ex, CancellationToken cancellationToken)
    {
        var failure = new SubmissionPlanFailure
        {
            Origin = plan.Origin,
            Source = plan.Source,
            Sidecar = plan.Sidecar,
            CorrelationId = plan.CorrelationId,
            Errors = [new RecordError(ex.ParamName ?? "request", "not_sent", "the request was refused before it was sent (nothing was charged): " + ex.Message)],
        };
        var record = failure.ToRecord(FailureStages.Submit, retryable: false, timeProvider.GetUtcNow());
        Log.Permanent(logger, Safe(subject), 0, "not_sent");
        await RecordRefusalAsync(claim, record, LedgerRefusal.Of(record, LedgerStates.Failed), subject, cancellationToken).ConfigureAwait(false);
        return new SubmitOutcome { Status = SubmitStatus.Rejected, Entry = claim, Errors = record.Errors };
    }

    private async Task<SubmitOutcome> HandleFailureAsync(SubmissionPlan plan, LedgerEntry claim, string subject, ModelStreamException ex, CancellationToken cancellationToken)
    {
        // The service's code and param are the service's text: bounded and redacted like everything else it says.
        var code = RecordLimits.Code(redactor.Text(ex.ErrorCode ?? CodeFor(ex)));
        var error = new RecordError(ex.Param ?? "request", code, ex.Message);
        var failure = new SubmissionPlanFailure { Origin = plan.Origin, Source = plan.Source, Sidecar = plan.Sidecar, CorrelationId = plan.CorrelationId, Errors = [error] };

        switch (ex.Kind)
        {
            case ModelStreamFailureKind.Permanent:
                {
                    Log.Permanent(logger, Safe(subject), ex.Status, code);

                    // 401/402/403 are fixed on the account side (key, credits, permission), then retried or redriven; 400 needs new
                    // input. Nothing was charged either way, so the ledger lets the same request claim the key again.
                    var record = failure.ToRecord(FailureStages.Submit, retryable: ex.Status != 400, timeProvider.GetUtcNow());
                    await RecordRefusalAsync(claim, record, LedgerRefusal.Of(record, LedgerStates.Failed), subject, cancellationToken).ConfigureAwait(false);
                    return new SubmitOutcome { Status = SubmitStatus.Rejected, Entry = claim, Errors = record.Errors };
                }

            case ModelStreamFailureKind.Ambiguous when options.Value.AmbiguousRetry == AmbiguousRetry.Never:
                {
                    Log.Ambiguous(logger, Safe(subject), ex.Status, code);
                    var record = failure.ToRecord(FailureStages.Submit, retryable: false, timeProvider.GetUtcNow(), ambiguous: true);
                    await RecordRefusalAsync(claim, record, LedgerRefusal.Of(record, LedgerStates.Ambiguous), subject, cancellationToken).ConfigureAwait(false);
                    return new SubmitOutcome
                    {
                        Status = SubmitStatus.Ambiguous,
                        Entry = claim,
                        Errors = record.Errors,
                        Detail = "ModelStream may have started this video; it was not re-sent. Check ModelStream, then `startframe redrive --force` only if it did not.",
                    };
                }

            default:
                {
                    // Transient (nothing charged), or ambiguous with AmbiguousRetry=Resubmit (the operator accepted the risk):
                    // give the claim back and let the platform deliver again, within a bounded number of deliveries.
                    var attempts = claim.Attempts + 1;
                    var max = plan.MaxAttempts ?? options.Value.MaxSubmitAttempts;
                    var ambiguous = ex.Kind == ModelStreamFailureKind.Ambiguous;
                    var record = failure.ToRecord(FailureStages.Submit, retryable: true, timeProvider.GetUtcNow(), ambiguous);
                    if (attempts >= max)
                    {
                        Log.GaveUp(logger, Safe(subject), attempts);
                        var state = ex.Kind == ModelStreamFailureKind.Ambiguous ? LedgerStates.Ambiguous : LedgerStates.Failed;
                        await RecordRefusalAsync(claim, record, LedgerRefusal.Of(record, state, attempts), subject, cancellationToken).ConfigureAwait(false);
                        return new SubmitOutcome
                        {
                            Status = ex.Kind == ModelStreamFailureKind.Ambiguous ? SubmitStatus.Ambiguous : SubmitStatus.GaveUp,
                            Entry = claim,
                            Errors = record.Errors,
                        };
                    }

                    Log.Transient(logger, Safe(subject), attempts, max, ex.Status);
                    var left = ex.Kind == ModelStreamFailureKind.Ambiguous ? LedgerStates.Ambiguous : LedgerStates.Released;
                    await ledger.ReleaseAsync(claim, LedgerRefusal.Of(record, left, attempts), cancellationToken).ConfigureAwait(false);
                    var of = max == int.MaxValue ? "" : $" of {max}";
                    // No inner exception: the host logs the whole chain, and the service's own message is only safe redacted.
                    throw new TransientSubmissionException(redactor.Text($"{subject} (attempt {attempts}{of}): {ex.Message}"))
                    {
                        RetryAfter = ex.RetryAfter,
                    };
                }
        }
    }

    /// <summary>
    /// Queues the task record, then its first poll, then says so in the ledger; what could not be queued is kept on the
    /// entry (owed), the debt noted for the sweep, and the delivery failed so it is made again.
    /// </summary>
    private async Task RecordTaskAsync(LedgerEntry claim, AcceptedTask task, TrackingMessage firstPoll, string subject)
    {
        // ModelStream has the task: this runs to its end even if the caller stops waiting.
        var cancellationToken = CancellationToken.None;
        using var span = StageSpans.Start(SpanNames.Record);
        spans.Tag(span, TagNames.TaskId, task.TaskId);
        try
        {
            await records.WriteAsync(StartFrameOptions.TasksQueue, task.TaskRecordJson, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            spans.Fail(span, "record_owed");
            StartFrameMetrics.RecordOwed(StartFrameOptions.TasksQueue);
            // An owed task record is the entry's own copy; the first poll is owed with it.
            await ledger.RecordTaskAsync(claim, task, new OwedWrites(StartFrameOptions.TasksQueue, null, TrackingQueueClient.Serialize(firstPoll)), cancellationToken).ConfigureAwait(false);
            throw await OwedAsync(claim, subject, $"The record of {Safe(subject)} could not be queued on {StartFrameOptions.TasksQueue}; the next delivery writes it.", ex, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await tracking.ScheduleAsync(firstPoll, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            spans.Fail(span, "record_owed");
            StartFrameMetrics.RecordOwed(StartFrameOptions.TrackingQueue);
            // The record is out; the first poll is owed. Without it nobody would ever copy the video.
            await ledger.RecordTaskAsync(claim, task, new OwedWrites(null, null, TrackingQueueClient.Serialize(firstPoll)), cancellationToken).ConfigureAwait(false);
            throw await OwedAsync(claim, subject, $"The first tracking message of {Safe(subject)} could not be queued on {StartFrameOptions.TrackingQueue}; the next delivery writes it.", ex, cancellationToken).ConfigureAwait(false);
        }

        await ledger.RecordTaskAsync(claim, task, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Queues the failure record, then says so in the ledger; a record that could not be queued is owed as above.</summary>
    private async Task RecordRefusalAsync(LedgerEntry claim, FailureRecord record, LedgerRefusal refusal, string subject, CancellationToken cancellationToken)
    {
        var json = RecordJson.Serialize(record);
        using var span = StageSpans.Start(SpanNames.Record);
        spans.Fail(span, record.Errors[0].Code);
        StartFrameMetrics.Upload(refusal.State, record.Errors[0].Code);
        try
        {
            await records.WriteAsync(StartFrameOptions.FailuresQueue, json, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            StartFrameMetrics.RecordOwed(StartFrameOptions.FailuresQueue);
            await ledger.RecordRefusalAsync(claim, refusal, json, cancellationToken).ConfigureAwait(false);
            throw await OwedAsync(claim, subject, $"The record of {Safe(subject)} could not be queued on {StartFrameOptions.FailuresQueue}; the next delivery writes it.", ex, cancellationToken).ConfigureAwait(false);
        }

        await ledger.RecordRefusalAsync(claim, refusal, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Notes the debt the ledger now holds for the sweep; returns the exception to throw, so the caller's delivery
    /// fails and is made again.</summary>
    private async Task<TransientSubmissionException> OwedAsync(LedgerEntry claim, string subject, string message, Exception ex, CancellationToken cancellationToken)
    {
        Log.RecordDeferred(logger, Safe(subject), ex);
        await NoteOwedAsync(claim, subject, cancellationToken).ConfigureAwait(false);
        return new TransientSubmissionException(redactor.Text(message), ex); // the host logs what a function throws
    }

    /// <summary>
    /// Notes the debt for the sweep, which settles it if no redelivery comes (an HTTP submission without an idempotency
    /// key has none). If even that fails, the ledger still holds the debt for a redelivery: logged, not thrown over the
    /// queue failure that matters.
    /// </summary>
    private async Task NoteOwedAsync(LedgerEntry claim, string subject, CancellationToken cancellationToken)
    {
        try
        {
            await owedRecords.NoteAsync(claim, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.OwedNotNoted(logger, Safe(subject), ex);
        }
    }

    /// <summary>Gives back a slot the POST did not use; never throws (the slot's lease frees it otherwise).</summary>
    private async Task GiveBackAsync(SlotLease? slot)
    {
        if (slot is null)
        {
            return;
        }

        try
        {
            // Not the caller's token: a slot kept after a cancelled run would only wait for its lease.
            await slots.GiveBackAsync(slot, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.SlotNotGivenBack(logger, slot.RowKey, ex);
        }
    }

    /// <summary>Names the accepted task on its slot, so tracking gives it back when the task ends; never throws (the
    /// task must be recorded whatever happens here; an unnamed slot is freed by its lease).</summary>
    private async Task BindAsync(SlotLease slot, string taskId)
    {
        try
        {
            await slots.BindAsync(slot, taskId, CancellationToken.None).ConfigureAwait(false);
            await slots.NoteAcceptedAsync(slot, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.SlotNotGivenBack(logger, slot.RowKey, ex);
        }
    }

    /// <summary>The POST, as a span of its own, counted by the status ModelStream answered with.</summary>
    private async Task<VideoGenerationResult> PostAsync(VideoGenerationRequest request, string correlationId, bool retryThrottled, CancellationToken cancellationToken)
    {
        using var span = StageSpans.Start(SpanNames.Submit, System.Diagnostics.ActivityKind.Client);
        spans.Tag(span, TagNames.Model, request.Model);
        try
        {
            var result = await modelStream.SubmitAsync(request, correlationId, retryThrottled, cancellationToken).ConfigureAwait(false);
            StartFrameMetrics.Post(200);
            spans.Tag(span, TagNames.TaskId, result.TaskId);
            spans.Tag(span, TagNames.Outcome, result.Status);
            return result;
        }
        catch (ModelStreamException ex)
        {
            StartFrameMetrics.Post(ex.Status);
            StageSpans.Tag(span, TagNames.HttpStatus, ex.Status);
            spans.Fail(span, ex.ErrorCode ?? CodeFor(ex));
            throw;
        }
        catch (ArgumentException)
        {
            spans.Fail(span, "not_sent");
            throw;
        }
    }

    private void LogRejected(string subject, FailureRecord record) =>
        Log.Rejected(logger, Safe(subject), record.Stage, record.ErrorCount, Safe(record.Errors[0].Field), record.Errors[0].Code);

    /// <summary>A log argument that came from outside: redacted and of bounded length.</summary>
    private string Safe(string? text) => RecordLimits.Cut(redactor.Text(text) ?? "", RecordLimits.MaxFieldLength);

    private static string CodeFor(ModelStreamException ex) => ex.Status switch
    {
        0 => ex.Kind == ModelStreamFailureKind.Ambiguous ? "no_response" : "unreachable",
        429 => "rate_limited",
        503 => "unavailable",
        200 => "unreadable_response",
        _ => "http_" + ex.Status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static JsonObject WithoutSas(VideoGenerationRequest request)
    {
        // The body as it travels (model, images, top-level fields, metadata), with each image URL reduced to
        // scheme, host and path: no SAS, no user info, no token.
        var json = new JsonObject
        {
            ["model"] = request.Model,
            ["images"] = new JsonArray([.. request.Images.Select(url => (JsonNode)(Uri.TryCreate(url, UriKind.Absolute, out var parsed) ? Redactor.Url(parsed) : Redactor.Mask))]),
        };
        foreach (var (name, value) in request.Fields ?? [])
        {
            json[name] = value?.DeepClone();
        }

        if (request.Metadata is not null)
        {
            json["metadata"] = request.Metadata.DeepClone();
        }

        return json;
    }
}
