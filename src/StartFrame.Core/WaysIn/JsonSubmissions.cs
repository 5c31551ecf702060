using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StartFrame.Core.Catalog;
using StartFrame.Core.Ledger;
using StartFrame.Core.Problems;
using StartFrame.Core.Records;
using StartFrame.Core.Redaction;
using StartFrame.Core.Storage;
using StartFrame.Core.Submitting;
using StartFrame.Core.Telemetry;
using StartFrame.Core.Uploads;
using StartFrame.Core.Validation;

namespace StartFrame.Core.WaysIn;

/// <summary>
/// Submissions that do not come from an upload — HTTP, the submissions queue, <c>startframe submit</c> — with the
/// same validation, ledger and records as the blob pipeline. Idempotency keys map to ledger entries: the same key
/// and body replay the first answer without a second POST; the same key with another body is refused.
/// </summary>
public sealed class JsonSubmissions(
    BlobServiceClient blobs,
    ModelCatalog catalog,
    ClaimAndSubmit claimAndSubmit,
    StageSpans spans,
    IOptions<StartFrameOptions> options,
    ILogger<JsonSubmissions> logger)
{
    private readonly SidecarValidator _validator = new(
        catalog,
        SidecarValidationOptions.From(options.Value) with { AdditionalAllowedFields = [.. SubmissionFields.All] });

    /// <summary>Validates, claims, submits and records one submission.</summary>
    public async Task<SubmissionResult> SubmitAsync(SubmissionInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var givenCorrelationId = input.CorrelationId ?? SubmissionFields.ReadString(input.Body, SubmissionFields.CorrelationId);
        var idempotencyKey = input.IdempotencyKey ?? SubmissionFields.ReadString(input.Body, SubmissionFields.IdempotencyKey);
        var keyField = input.Origin == Origins.Http ? WaysIn.VideoApi.IdempotencyKeyHeader : SubmissionFields.IdempotencyKey;

        // Ids and keys are checked before anything else, so nothing is ever claimed under one that cannot be used.
        var limits = SubmissionLimits.Check(idempotencyKey, givenCorrelationId, keyField).Concat(SubmissionLimits.CheckText(input.Body)).ToList();
        var correlationId = CorrelationIds.OrNew(givenCorrelationId);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = correlationId, ["Origin"] = input.Origin });

        // The root of the submission's trace, under the caller's traceparent when it gave one.
        using var span = StageSpans.StartWithParent(
            SpanNames.Submission,
            input.Traceparent,
            input.Origin == Origins.Queue ? System.Diagnostics.ActivityKind.Consumer : System.Diagnostics.ActivityKind.Server);
        spans.Tag(span, TagNames.Origin, input.Origin);
        spans.Tag(span, TagNames.CorrelationId, correlationId);
        using var read = StageSpans.Start(SpanNames.Read);
        if (limits.Count > 0)
        {
            return Invalid(limits, correlationId, read);
        }

        var (image, imageErrors) = await ResolveImageAsync(input.Body, cancellationToken).ConfigureAwait(false);
        var validation = _validator.Validate(input.Body, image?.Sample);
        var errors = imageErrors.Concat(validation.Errors.Select(e => new RecordError(e.Field, e.Code, e.Message))).ToList();
        if (errors.Count > 0 || image is null)
        {
            return Invalid(errors, correlationId, read);
        }

        spans.Tag(read, TagNames.Container, image.Source.Container);
        spans.Tag(read, TagNames.Blob, image.Source.Blob ?? image.Source.Url);
        spans.Tag(read, TagNames.Model, validation.Model);
        read?.Dispose();

        // Without a key every call is its own submission; the entry still lets GET /api/videos/{taskId} find it.
        var key = LedgerKey.ForIdempotencyKey(idempotencyKey ?? "auto:" + Guid.NewGuid().ToString("N"));
        var subject = image.Subject;
        var claim = new ClaimRequest
        {
            ClaimId = Guid.NewGuid().ToString("N"),
            CorrelationId = correlationId,
            Traceparent = TraceParent.OfWayIn(),
            Origin = input.Origin,
            Container = image.Source.Container,
            Blob = image.Source.Blob,
            ImageUrl = image.Source.Url,
            IdempotencyKey = idempotencyKey,
            BodyHash = SubmissionKeys.BodyHash(input.Body),
            Model = validation.Model,
        };
        var context = new SubmissionPlanFailure { Origin = input.Origin, Source = image.Source, CorrelationId = correlationId, Errors = [] };
        var plan = new SubmissionPlan
        {
            Model = validation.Model,
            BuildRequest = validation.ToRequest,
            ImageBlob = image.Blob,
            UploadedImage = image.Head,
            ImageUrl = image.Url,
            Source = image.Source,
            Origin = input.Origin,
            CorrelationId = correlationId,
            MaxAttempts = input.MaxAttempts,
        };
        var outcome = await claimAndSubmit.RunAsync(new Submission(key, claim, subject, context, plan), cancellationToken).ConfigureAwait(false);
        // A submission naming an upload does not stand in line: nothing would come back to refresh or wake its place (an
        // HTTP caller may never retry), and a row held for it would keep a slot from the uploads behind it.
        var answer = Answer(outcome, keyField, correlationId);
        spans.Tag(span, TagNames.Outcome, answer.Status.ToString());
        spans.Tag(span, TagNames.TaskId, answer.Record?.TaskId);
        return answer;
    }

    /// <summary>The JSON ways' words (HTTP status, queue outcome, CLI exit) for what the claim and submit came to.</summary>
    private static SubmissionResult Answer(SubmitOutcome outcome, string keyField, string correlationId)
    {
        var entry = outcome.Entry;
        switch (outcome.Status)
        {
            case SubmitStatus.Submitted:
                return new SubmissionResult { Status = SubmissionStatus.Accepted, Record = outcome.Record, CorrelationId = correlationId };
            case SubmitStatus.Rejected:
                return new SubmissionResult { Status = SubmissionStatus.Refused, Errors = outcome.Errors, CorrelationId = correlationId };
            case SubmitStatus.Ambiguous:
                return new SubmissionResult { Status = SubmissionStatus.Ambiguous, Errors = outcome.Errors, Detail = AmbiguousDetail, CorrelationId = correlationId };
            case SubmitStatus.GaveUp:
                return new SubmissionResult { Status = SubmissionStatus.Unavailable, Errors = outcome.Errors, CorrelationId = correlationId };
            case SubmitStatus.WaitingForSlot:
                // An HTTP caller does not queue behind the uploads waiting for a slot: it takes one if one is free (it may
                // jump ahead of them), else it is told to come back, like any time ModelStream cannot take it now.
                return new SubmissionResult
                {
                    Status = SubmissionStatus.Unavailable,
                    WaitingForSlot = true,
                    Detail = "Every ModelStream slot of the account is taken (ModelStream__MaxConcurrentTasks); nothing was sent.",
                    RetryAfter = outcome.RetryAfter,
                    Errors = outcome.Errors,
                    CorrelationId = correlationId,
                    Traceparent = TraceParent.OfWayIn(),
                };
            case SubmitStatus.Unavailable:
                var reason = outcome.Transient!.Message;
                return new SubmissionResult
                {
                    Status = SubmissionStatus.Unavailable,
                    Detail = reason,
                    RetryAfter = outcome.RetryAfter ?? TimeSpan.FromSeconds(5),
                    Errors = outcome.Errors,
                    CorrelationId = correlationId,
                };
            case SubmitStatus.RecordOwed:
                {
                    // ModelStream answered; only writing it down failed, and the debt is noted for the sweep. The answer is
                    // ModelStream's (accepted with the task, ambiguous, refused), never "unavailable": a caller without an
                    // idempotency key who retried on that would start, and pay for, a second video.
                    var answer = Replay(entry, outcome.EarlierRecordJson, correlationId);
                    return answer with
                    {
                        Replayed = false,
                        Detail = (answer.Status == SubmissionStatus.Ambiguous ? AmbiguousDetail + " " : "") + OwedDetail,
                    };
                }

            case SubmitStatus.RecordWritten or SubmitStatus.AlreadySubmitted:
                // An owed task record (or only its first poll) is written now, or was long ago: replay it; an owed failure
                // record replays the refusal.
                return Replay(entry, outcome.EarlierRecordJson, correlationId);
            case SubmitStatus.KeyConflict:
                return new SubmissionResult
                {
                    Status = SubmissionStatus.KeyConflict,
                    Errors = [new RecordError(keyField, "idempotency_key_reused", "The idempotency key was used before with a different body; use a new key for a new submission.")],
                    CorrelationId = correlationId,
                };
            case SubmitStatus.InProgress:
                // The rest of the other run's lease: retrying before that can only meet the same claim.
                var left = outcome.RetryAfter ?? TimeSpan.Zero;
                return new SubmissionResult
                {
                    Status = SubmissionStatus.InProgress,
                    RetryAfter = left > TimeSpan.Zero ? left : TimeSpan.FromSeconds(1),
                    Detail = $"A submission with this idempotency key is in progress (claimed at {entry.ClaimedAt:u}); try again after its claim runs out.",
                    CorrelationId = correlationId,
                };
            case SubmitStatus.AlreadyAmbiguous:
                return new SubmissionResult { Status = SubmissionStatus.Ambiguous, Replayed = true, Errors = outcome.Errors, Detail = AmbiguousDetail, CorrelationId = correlationId };
            default:
                return new SubmissionResult { Status = SubmissionStatus.Refused, Replayed = true, Errors = outcome.Errors, Detail = "Refused earlier under this idempotency key.", CorrelationId = correlationId };
        }
    }

    private SubmissionResult Invalid(List<RecordError> errors, string correlationId, System.Diagnostics.Activity? read)
    {
        spans.Fail(read, errors[0].Code);
        StartFrameMetrics.Upload(SubmissionStatus.Invalid.ToString(), errors[0].Code);
        return Invalid(errors, correlationId);
    }

    private static SubmissionResult Invalid(List<RecordError> errors, string correlationId) => new()
    {
        Status = SubmissionStatus.Invalid,
        Errors = RecordLimits.Bound(errors),
        CorrelationId = correlationId,
        Detail = errors.Count > RecordLimits.MaxErrors
            ? $"Nothing was sent; fix the fields named in errors (the first {RecordLimits.MaxErrors} of {errors.Count} are listed)."
            : "Nothing was sent; fix the fields named in errors.",
    };

    private const string OwedDetail =
        "Its record could not be queued yet (a storage outage); a redelivery or the sweep (OwedRecordsDue, every 5 minutes) writes it. Do not submit it again.";

    private const string AmbiguousDetail =
        "ModelStream may or may not have started this video; it was not re-sent, to avoid charging twice. It is recorded as ambiguous: check ModelStream, then redrive with --force only if it did not start.";

    private static SubmissionResult Replay(LedgerEntry entry, string? recordJson, string correlationId)
    {
        var record = RecordJson.ReadTaskRecord(recordJson);
        if (record?.TaskId is null)
        {
            // The owed record was a failure record: the first answer was a refusal or an ambiguity.
            var status = entry.State == LedgerStates.Ambiguous ? SubmissionStatus.Ambiguous : SubmissionStatus.Refused;
            return new SubmissionResult { Status = status, Replayed = true, Errors = LastError(entry), CorrelationId = correlationId };
        }

        return new SubmissionResult { Status = SubmissionStatus.Accepted, Record = record, Replayed = true, CorrelationId = correlationId };
    }

    private static IReadOnlyList<RecordError> LastError(LedgerEntry entry) =>
        [new RecordError("request", entry.LastErrorCode ?? "refused", entry.LastErrorMessage ?? "Refused earlier.")];

    private async Task<(ResolvedImage? Image, IReadOnlyList<RecordError> Errors)> ResolveImageAsync(JsonObject body, CancellationToken cancellationToken)
    {
        var hasBlob = body.ContainsKey(SubmissionFields.Blob);
        var hasUrl = body.ContainsKey(SubmissionFields.ImageUrl);
        if (hasBlob == hasUrl)
        {
            return (null, [new RecordError("image", hasBlob ? ValidationCodes.Conflict : ValidationCodes.MissingRequired,
                $"give exactly one image source: \"blob\": \"{StartFrameOptions.UploadsContainer}/path/name.png\" (a blob of ours) or \"imageUrl\": \"https://...\"")]);
        }

        if (hasUrl)
        {
            return ResolveUrl(SubmissionFields.ReadString(body, SubmissionFields.ImageUrl));
        }

        var address = SubmissionFields.ReadString(body, SubmissionFields.Blob);
        if (!BlobNames.TryGetUpload(blobs, address, out var blob, out var problem))
        {
            // Only plain names of the uploads container: a SAS for any other blob of the account would hand out data that is not a start frame.
            var nameLength = (address?.Length ?? 0) - StartFrameOptions.UploadsContainer.Length - 1;
            var code = nameLength > BlobNames.MaxLength ? ValidationCodes.TooLong : ValidationCodes.NotAllowed;
            return (null, [new RecordError(SubmissionFields.Blob, code, $"blob must be a string naming a blob of the uploads container, like \"{StartFrameOptions.UploadsContainer}/cats/cat.png\" (at most {BlobNames.MaxLength:N0} characters after the container, no empty, '.' or '..' segments, no control characters or backslashes): {problem}; got {Show(body[SubmissionFields.Blob])}")]);
        }

        var head = await UploadReader.ReadImageHeadAsync(blob, cancellationToken).ConfigureAwait(false);
        if (head is null)
        {
            return (null, [new RecordError(SubmissionFields.Blob, "not_found", $"there is no blob {Show(body[SubmissionFields.Blob])}; upload it first (startframe upload)")]);
        }

        var source = new RecordSource { Container = blob.BlobContainerName, Blob = blob.Name, Etag = head.ETag, ContentType = head.ContentType, Length = head.Length };
        return (new ResolvedImage(blob, head, null, source, new ImageToCheck(head.Bytes, head.Length, blob.Name, head.ContentType), address!), []);
    }

    private (ResolvedImage? Image, IReadOnlyList<RecordError> Errors) ResolveUrl(string? text)
    {
        var allowHttp = options.Value.AllowHttpImageUrls;
        if (text is { Length: > SubmissionLimits.MaxImageUrlLength })
        {
            return (null, [new RecordError(SubmissionFields.ImageUrl, ValidationCodes.TooLong, $"imageUrl must be at most {SubmissionLimits.MaxImageUrlLength:N0} characters; got {text.Length:N0}")]);
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && !(allowHttp && url.Scheme == Uri.UriSchemeHttp)))
        {
            var schemes = allowHttp ? "an absolute https:// or http:// URL" : "an absolute https:// URL (http is accepted only with StartFrame__AllowHttpImageUrls=true, for local development)";
            return (null, [new RecordError(SubmissionFields.ImageUrl, ValidationCodes.NotAllowed, $"imageUrl must be {schemes}; got {Show(text)}")]);
        }

        if (url.AbsoluteUri.Length > SubmissionLimits.MaxImageUrlLength)
        {
            return (null, [new RecordError(SubmissionFields.ImageUrl, ValidationCodes.TooLong, $"imageUrl must be at most {SubmissionLimits.MaxImageUrlLength:N0} characters as sent (non-ASCII characters are sent escaped); it is {url.AbsoluteUri.Length:N0}")]);
        }

        // A URL is passed through untouched; its bytes are ModelStream's to fetch, so only its shape is checked here.
        // What is kept of it (records, ledger, logs) has no user info, query or fragment.
        var kept = Redactor.Url(url);
        return (new ResolvedImage(null, null, url, new RecordSource { Url = kept }, null, kept), []);
    }

    private static string Show(JsonNode? node) => node is null ? "nothing" : RecordLimits.Cut(node.ToJsonString(), 200);

    private static string Show(string? text) => text is null ? "nothing" : RecordLimits.Cut(text, 200);

    private sealed record ResolvedImage(BlobClient? Blob, UploadedImage? Head, Uri? Url, RecordSource Source, ImageToCheck? Sample, string Subject);
}
