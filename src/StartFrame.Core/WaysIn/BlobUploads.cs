using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StartFrame.Core.Admission;
using StartFrame.Core.Ledger;
using StartFrame.Core.Records;
using StartFrame.Core.Submitting;
using StartFrame.Core.Telemetry;
using StartFrame.Core.Uploads;

namespace StartFrame.Core.WaysIn;

/// <summary>
/// The blob pipeline, in the order data flows: blob → sidecar → validate → claim → submit → record.
/// What the blob trigger, <c>startframe process</c> and the tests all call. The trigger fires for images and for
/// sidecars alike, so uploads may arrive in either order. An upload is keyed by its name and content
/// (<see cref="UploadIdentity"/>): the same image and sidecar uploaded again are already submitted.
/// </summary>
public sealed class BlobUploads(
    SubmissionLedger ledger,
    UploadValidator validator,
    ClaimAndSubmit claimAndSubmit,
    ClaimedSubmitter submitter,
    RecheckScheduler rechecks,
    WaitingLine line,
    StageSpans spans,
    IOptions<StartFrameOptions> options,
    ILogger<BlobUploads> logger) : IBlobUploads
{
    /// <inheritdoc />
    public async Task<ProcessingOutcome> ProcessBlobAsync(BlobClient blob, string? correlationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        correlationId = CorrelationIds.OrNew(correlationId);
        using var scope = logger.BeginScope(new Dictionary<string, object>
        {
            ["CorrelationId"] = correlationId,
            ["Container"] = blob.BlobContainerName,
            ["Blob"] = blob.Name,
        });
        Log.Processing(logger, blob.BlobContainerName, blob.Name);

        // The root of the upload's trace (under the host's span for the event, when there is one).
        using var span = StageSpans.Start(SpanNames.Upload, System.Diagnostics.ActivityKind.Consumer);
        spans.Tag(span, TagNames.Container, blob.BlobContainerName);
        spans.Tag(span, TagNames.Blob, blob.Name);
        spans.Tag(span, TagNames.CorrelationId, correlationId);

        if (UploadNames.IsSidecar(blob.Name))
        {
            return Ended(span, await ProcessSidecarArrivalAsync(blob, correlationId, cancellationToken).ConfigureAwait(false));
        }

        if (!UploadNames.IsImage(blob.Name))
        {
            return Ended(span, await RejectUnsupportedAsync(blob, correlationId, cancellationToken).ConfigureAwait(false));
        }

        return Ended(span, await ProcessImageAsync(blob, correlationId, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Tags the upload's span with how it ended.</summary>
    private ProcessingOutcome Ended(System.Diagnostics.Activity? span, ProcessingOutcome outcome)
    {
        spans.Tag(span, TagNames.Outcome, outcome.Status);
        spans.Tag(span, TagNames.TaskId, outcome.TaskId);
        return outcome;
    }

    private async Task<ProcessingOutcome> ProcessImageAsync(BlobClient image, string correlationId, CancellationToken cancellationToken)
    {
        var subject = $"{image.BlobContainerName}/{image.Name}";

        // Reading and validating, up to the claim; a span of its own so the claim is its sibling, not its child.
        using var read = StageSpans.Start(SpanNames.Read);
        spans.Tag(read, TagNames.Container, image.BlobContainerName);
        spans.Tag(read, TagNames.Blob, image.Name);
        var head = await UploadReader.ReadImageHeadAsync(image, cancellationToken).ConfigureAwait(false);
        if (head is null)
        {
            return NothingToDo(subject, OutcomeStatus.Gone, correlationId, "The image no longer exists.");
        }

        var container = image.GetParentBlobContainerClient();
        var sidecarName = UploadNames.SidecarOf(image.Name);
        if (sidecarName.Length > Storage.BlobNames.MaxLength)
        {
            // A 1,024-character cat.png has no possible cat.json (1,025 characters): say so instead of waiting forever.
            return await RejectUnnamableSidecarAsync(image, head, sidecarName, correlationId, cancellationToken).ConfigureAwait(false);
        }

        var sidecar = await UploadReader.ReadSidecarAsync(container.GetBlobClient(sidecarName), cancellationToken).ConfigureAwait(false);
        var key = UploadReader.KeyOf(image, head, sidecar);
        var source = new RecordSource
        {
            Container = image.BlobContainerName,
            Blob = image.Name,
            Etag = head.ETag,
            ContentType = head.ContentType,
            Length = head.Length,
        };

        if (!sidecar.Exists && options.Value.SidecarRequired)
        {
            // The sidecar's own upload will fire the trigger and bring us back here: nothing failed yet.
            await ledger.MarkWaitingAsync(key, ClaimFor(image, sidecar, correlationId, model: null, valid: true), cancellationToken).ConfigureAwait(false);
            Log.Waiting(logger, image.BlobContainerName, image.Name, sidecar.Name);
            return NothingToDo(subject, OutcomeStatus.Waiting, correlationId, $"Waiting for the sidecar {sidecar.Name}; the image is processed when it lands.");
        }

        var check = validator.Check(sidecar.Exists ? sidecar : null, head, image.Name);
        var usedSidecar = sidecar.Exists ? sidecar.Name : null;
        var context = new SubmissionPlanFailure { Origin = Origins.Blob, Source = source, Sidecar = usedSidecar, CorrelationId = correlationId, Errors = check.Errors };
        var plan = check.IsValid
            ? new SubmissionPlan
            {
                Model = check.Model,
                BuildRequest = check.BuildRequest!,
                ImageBlob = image,
                UploadedImage = head,
                Source = source,
                Sidecar = usedSidecar,
                Origin = Origins.Blob,
                CorrelationId = correlationId,
            }
            : null;
        spans.Tag(read, TagNames.Model, check.Model);
        spans.Tag(read, TagNames.Outcome, check.IsValid ? "valid" : "invalid");
        read?.Dispose();
        var submission = new Submission(key, ClaimFor(image, sidecar, correlationId, check.Model, check.IsValid), subject, context, plan);
        var outcome = await claimAndSubmit.RunAsync(submission, cancellationToken).ConfigureAwait(false);
        if (outcome.Status == SubmitStatus.WaitingForSlot)
        {
            return await WaitForSlotAsync(image, outcome, subject, correlationId, cancellationToken).ConfigureAwait(false);
        }

        if (!IsLiveClaim(outcome))
        {
            return Answer(outcome, subject, correlationId);
        }

        var watched = await WatchLiveClaimAsync(submission, outcome, cancellationToken).ConfigureAwait(false);
        if (watched is null)
        {
            // Not taken here at once: that would POST again within a second of ModelStream saying "later".
            return NothingToDo(subject, OutcomeStatus.InProgress, correlationId,
                "The run for this upload's other event found ModelStream unavailable and gave its claim back; that run's delivery tries again.");
        }

        outcome = watched;
        if (IsLiveClaim(outcome))
        {
            return await MeetLiveClaimAsync(image, outcome.Entry, subject, correlationId, cancellationToken).ConfigureAwait(false);
        }

        var answer = Answer(outcome, subject, correlationId);
        Log.LiveClaimSettled(logger, subject, answer.Status);
        return outcome.Status == SubmitStatus.AlreadySubmitted
            ? answer with { Detail = $"Submitted as task {outcome.Entry.TaskId} by the run for this upload's other event (an image and its sidecar land together)." }
            : answer;
    }

    /// <summary>
    /// No provider slot now: the upload waits as a re-check message, invisible until it looks again, so waiting costs no
    /// running function and no delivery count. The claim was given back first; if queueing the re-check fails, the
    /// failure is thrown and the blob event is delivered again, so the upload is never left with nobody to come back.
    /// Then it stands in the waiting line naming that message, so a slot given back wakes it before its time.
    /// </summary>
    private async Task<ProcessingOutcome> WaitForSlotAsync(BlobClient image, SubmitOutcome outcome, string subject, string correlationId, CancellationToken cancellationToken)
    {
        var wait = outcome.RetryAfter ?? options.Value.SlotRecheckDelay;
        var look = await rechecks.ScheduleAsync(image, wait, correlationId, cancellationToken).ConfigureAwait(false);
        if (outcome.Line is { } place)
        {
            await line.StandAsync(place.Place, subject, place.Ahead, look, cancellationToken).ConfigureAwait(false);
        }

        Log.NothingToDo(logger, subject, OutcomeStatus.WaitingForSlot);
        var seconds = Math.Ceiling((wait + RecheckScheduler.Margin).TotalSeconds).ToString("0", System.Globalization.CultureInfo.InvariantCulture);
        return new ProcessingOutcome
        {
            Status = OutcomeStatus.WaitingForSlot,
            Subject = subject,
            // Not errors: nothing failed, and the CLI prints errors as such.
            Detail = $"{(outcome.Errors.Count > 0 ? outcome.Errors[0].Message : "waiting for a provider slot")}. A re-check on {StartFrameOptions.RechecksQueue} looks again in {seconds} s.",
            RetryAfter = wait + RecheckScheduler.Margin,
            CorrelationId = correlationId,
        };
    }

    private static bool IsLiveClaim(SubmitOutcome outcome) =>
        outcome.Status == SubmitStatus.InProgress && outcome.Entry.State == LedgerStates.Claimed;

    /// <summary>
    /// An image's and its sidecar's events arrive together, so two runs racing for one claim is the normal case, and the
    /// winner's POST takes a second or two. The loser looks again at growing intervals for up to
    /// <see cref="StartFrameOptions.LiveClaimWait"/> (never past the lease), reading the entry only, and answers from what
    /// the winner settled (the routine, run once more, then finds it recorded, refused or ambiguous). Null when the winner
    /// gave its claim back (ModelStream unavailable): its own delivery tries again, after what ModelStream asked. The
    /// claim met, unchanged, when it did not settle in time. Real time on purpose: it waits for another run's real progress.
    /// </summary>
    private async Task<SubmitOutcome?> WatchLiveClaimAsync(Submission submission, SubmitOutcome met, CancellationToken cancellationToken)
    {
        var limit = TimeSpan.FromTicks(Math.Min(options.Value.LiveClaimWait.Ticks, ledger.LeaseLeft(met.Entry).Ticks));
        Log.WatchingLiveClaim(logger, submission.Subject, met.Entry.ClaimedAt, Math.Round(limit.TotalSeconds, 1));
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var pause = TimeSpan.FromMilliseconds(200);
        LedgerEntry? seen = met.Entry;
        while (IsSameLiveClaim(seen, met.Entry) && System.Diagnostics.Stopwatch.GetElapsedTime(started) + pause <= limit)
        {
            await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
            seen = await ledger.GetAsync(submission.Key, cancellationToken).ConfigureAwait(false);
        }

        if (IsSameLiveClaim(seen, met.Entry))
        {
            return met;
        }

        return seen?.State == LedgerStates.Released
            ? null
            : await claimAndSubmit.RunAsync(submission, cancellationToken).ConfigureAwait(false);
    }

    private static bool IsSameLiveClaim(LedgerEntry? seen, LedgerEntry met) =>
        seen is { State: LedgerStates.Claimed } && string.Equals(seen.ClaimId, met.ClaimId, StringComparison.Ordinal);

    /// <summary>
    /// Another run holds a live claim: it may finish, or it may have crashed mid-POST. The blob extension retries a
    /// failed invocation at once (its internal queue has no visibility delay) and gives up after
    /// <c>poisonBlobThreshold</c> tries, long before a lease ends, so failing here would not bring anyone back. Instead
    /// a re-check is queued for when the lease ends, and it runs this pipeline again: the claim is then settled
    /// (recorded by its run, or taken for ambiguous and written as a failure record) whatever happened to its run.
    /// </summary>
    private async Task<ProcessingOutcome> MeetLiveClaimAsync(BlobClient image, LedgerEntry entry, string subject, string correlationId, CancellationToken cancellationToken)
    {
        var left = ledger.LeaseLeft(entry);
        await rechecks.ScheduleAsync(image, left, correlationId, cancellationToken).ConfigureAwait(false);
        Log.NothingToDo(logger, subject, OutcomeStatus.InProgress);
        var seconds = Math.Ceiling(left.TotalSeconds).ToString("0", System.Globalization.CultureInfo.InvariantCulture);
        return new ProcessingOutcome
        {
            Status = OutcomeStatus.InProgress,
            Subject = subject,
            Detail = $"Another run is submitting it (claimed at {entry.ClaimedAt:u}); its claim protects it for {seconds} s more. "
                + $"A re-check is queued on {StartFrameOptions.RechecksQueue} for then; or run the same command again after {seconds} s.",
            RetryAfter = left,
            CorrelationId = correlationId,
        };
    }

    private async Task<ProcessingOutcome> RejectUnnamableSidecarAsync(BlobClient image, UploadedImage head, string sidecarName, string correlationId, CancellationToken cancellationToken)
    {
        var subject = $"{image.BlobContainerName}/{image.Name}";
        var sidecar = SidecarContent.Missing(sidecarName);
        var error = new RecordError("image", Problems.ValidationCodes.TooLong,
            $"the image's name is {image.Name.Length:N0} characters, so its sidecar's name would be {sidecarName.Length:N0}, over the {Storage.BlobNames.MaxLength:N0} a blob name may have; rename the image (at most {Storage.BlobNames.MaxLength - 1:N0} characters for .png and .jpg)");
        var context = new SubmissionPlanFailure
        {
            Origin = Origins.Blob,
            Source = new RecordSource { Container = image.BlobContainerName, Blob = image.Name, Etag = head.ETag, ContentType = head.ContentType, Length = head.Length },
            CorrelationId = correlationId,
            Errors = [error],
        };
        var submission = new Submission(UploadReader.KeyOf(image, head, sidecar), ClaimFor(image, sidecar, correlationId, model: null, valid: false), subject, context, Plan: null);
        return Answer(await claimAndSubmit.RunAsync(submission, cancellationToken).ConfigureAwait(false), subject, correlationId);
    }

    private async Task<ProcessingOutcome> ProcessSidecarArrivalAsync(BlobClient sidecar, string correlationId, CancellationToken cancellationToken)
    {
        var container = sidecar.GetParentBlobContainerClient();
        var stem = UploadNames.Stem(sidecar.Name);
        var images = new List<string>();

        // One listing by prefix finds the image whatever the case of its extension (cat.PNG, cat.jpeg, ...).
        await foreach (var item in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, stem + ".", cancellationToken).ConfigureAwait(false))
        {
            if (UploadNames.IsImage(item.Name) && UploadNames.Stem(item.Name) == stem)
            {
                images.Add(item.Name);
            }
        }

        Log.SidecarArrived(logger, sidecar.BlobContainerName, sidecar.Name, images.Count);
        if (images.Count == 0)
        {
            return NothingToDo($"{sidecar.BlobContainerName}/{sidecar.Name}", OutcomeStatus.SidecarWithoutImage, correlationId, "No image with this name yet; it is processed when it lands.");
        }

        ProcessingOutcome? last = null;
        foreach (var name in images)
        {
            last = await ProcessImageAsync(container.GetBlobClient(name), correlationId, cancellationToken).ConfigureAwait(false);
        }

        return last!;
    }

    private async Task<ProcessingOutcome> RejectUnsupportedAsync(BlobClient blob, string correlationId, CancellationToken cancellationToken)
    {
        // Not an image and not a sidecar: say so on the failure queue rather than ignore the upload silently — if it is an
        // upload at all. A name that is no blob (a folder given to `process`, a blob deleted since) is nothing to refuse.
        var subject = $"{blob.BlobContainerName}/{blob.Name}";
        if (!(await blob.ExistsAsync(cancellationToken).ConfigureAwait(false)).Value)
        {
            return NothingToDo(subject, OutcomeStatus.Gone, correlationId, "There is no such blob.");
        }

        var error = new RecordError(
            "image",
            "unsupported_format",
            $"'{blob.Name}' is neither a start frame ({string.Join(", ", UploadNames.ImageExtensions)}) nor a sidecar (.json).");
        var failure = new SubmissionPlanFailure
        {
            Origin = Origins.Blob,
            Source = new RecordSource { Container = blob.BlobContainerName, Blob = blob.Name },
            CorrelationId = correlationId,
            Errors = [error],
        };
        await submitter.WriteRejectionWithoutClaimAsync(failure, subject, cancellationToken).ConfigureAwait(false);
        return new ProcessingOutcome { Status = OutcomeStatus.Rejected, Subject = subject, Errors = [error], CorrelationId = correlationId };
    }

    private static ClaimRequest ClaimFor(BlobClient image, SidecarContent sidecar, string correlationId, string? model, bool valid) => new()
    {
        ClaimId = Guid.NewGuid().ToString("N"),
        CorrelationId = correlationId,
        Traceparent = TraceParent.OfWayIn(),
        Origin = Origins.Blob,
        Container = image.BlobContainerName,
        Blob = image.Name,
        SidecarEtag = sidecar.ETag,
        Model = model,
        InputIsValid = valid,
    };

    private ProcessingOutcome NothingToDo(string subject, string status, string correlationId, string detail)
    {
        Log.NothingToDo(logger, subject, status);
        return new ProcessingOutcome { Status = status, Subject = subject, Detail = detail, CorrelationId = correlationId };
    }

    /// <summary>The blob way's words for what the claim and submit came to; what must be delivered again is thrown.</summary>
    private ProcessingOutcome Answer(SubmitOutcome outcome, string subject, string correlationId)
    {
        var entry = outcome.Entry;
        switch (outcome.Status)
        {
            case SubmitStatus.Unavailable or SubmitStatus.RecordOwed:
                // The blob extension delivers the event again: nothing was charged, or the ledger holds what is owed.
                outcome.ThrowForRedelivery();
                throw new InvalidOperationException($"{outcome.Status} without a reason to deliver again");
            case SubmitStatus.Submitted:
                return new ProcessingOutcome { Status = OutcomeStatus.Submitted, Subject = subject, TaskId = outcome.Record!.TaskId, Record = outcome.Record, CorrelationId = correlationId };
            case SubmitStatus.Rejected:
                return new ProcessingOutcome { Status = OutcomeStatus.Rejected, Subject = subject, Errors = outcome.Errors, CorrelationId = correlationId };
            case SubmitStatus.Ambiguous:
                return new ProcessingOutcome { Status = OutcomeStatus.Ambiguous, Subject = subject, Errors = outcome.Errors, Detail = outcome.Detail, CorrelationId = correlationId };
            case SubmitStatus.GaveUp:
                return new ProcessingOutcome { Status = OutcomeStatus.Failed, Subject = subject, Errors = outcome.Errors, CorrelationId = correlationId };
            case SubmitStatus.RecordWritten:
                return new ProcessingOutcome { Status = OutcomeStatus.RecordWritten, Subject = subject, TaskId = entry.TaskId, CorrelationId = correlationId };
            case SubmitStatus.AlreadySubmitted:
                return NothingToDo(subject, OutcomeStatus.AlreadySubmitted, correlationId, $"Already submitted as task {entry.TaskId}.") with { TaskId = entry.TaskId };
            case SubmitStatus.AlreadyRefused:
                return NothingToDo(subject, OutcomeStatus.AlreadyFailed, correlationId, $"Already refused ({entry.LastErrorCode}): {entry.LastErrorMessage}");
            case SubmitStatus.AlreadyAmbiguous:
                return NothingToDo(subject, OutcomeStatus.Ambiguous, correlationId, "An earlier submission's outcome is unknown; `startframe redrive --force` re-sends it.");
            default:
                return NothingToDo(subject, OutcomeStatus.InProgress, correlationId, $"Its ledger entry is {entry.State}: another run is on it.");
        }
    }
}
