using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StartFrame.Core.Catalog;
using StartFrame.Core.Images;
using StartFrame.Core.Ledger;
using StartFrame.Core.Pipeline;
using StartFrame.Core.Records;
using StartFrame.Core.Storage;
using StartFrame.Core.Validation;

namespace StartFrame.Core.Submissions;

/// <summary>
/// Submissions that do not come from an upload — HTTP, the submissions queue, <c>startframe submit</c> — with the
/// same validation, ledger and records as the blob pipeline. Idempotency keys map to ledger entries: the same key
/// and body replay the first answer without a second POST; the same key with another body is refused.
/// </summary>
public sealed class VideoSubmissionService(
    BlobServiceClient blobs,
    ModelCatalog catalog,
    SubmissionLedger ledger,
    ClaimedSubmitter submitter,
    IOptions<StartFrameOptions> options,
    ILogger<VideoSubmissionService> logger)
{
    private readonly SidecarValidator _validator = new(
        catalog,
        SidecarValidationOptions.From(options.Value) with { AdditionalAllowedFields = [.. SubmissionFields.All] });

    /// <summary>Validates, claims, submits and records one submission.</summary>
    public async Task<SubmissionResult> SubmitAsync(SubmissionInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var correlationId = input.CorrelationId ?? SubmissionFields.ReadString(input.Body, SubmissionFields.CorrelationId) ?? Guid.NewGuid().ToString("N");
        var idempotencyKey = input.IdempotencyKey ?? SubmissionFields.ReadString(input.Body, SubmissionFields.IdempotencyKey);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = correlationId, ["Origin"] = input.Origin });

        var (image, imageErrors) = await ResolveImageAsync(input.Body, cancellationToken).ConfigureAwait(false);
        var validation = _validator.Validate(input.Body, image?.Sample);
        var errors = imageErrors.Concat(validation.Errors.Select(e => new RecordError(e.Field, e.Code, e.Message))).ToList();
        if (errors.Count > 0 || image is null)
        {
            return new SubmissionResult { Status = SubmissionStatus.Invalid, Errors = errors, CorrelationId = correlationId, Detail = "Nothing was sent; fix the fields named in errors." };
        }

        // Without a key every call is its own submission; the entry still lets GET /api/videos/{taskId} find it.
        var key = LedgerKey.ForIdempotencyKey(idempotencyKey ?? "auto:" + Guid.NewGuid().ToString("N"));
        var subject = image.Subject;
        var claim = new ClaimRequest
        {
            ClaimId = Guid.NewGuid().ToString("N"),
            CorrelationId = correlationId,
            Origin = input.Origin,
            Container = image.Source.Container,
            Blob = image.Source.Blob,
            ImageUrl = image.Source.Url,
            BodyHash = BodyHash(input.Body),
            Model = validation.Model,
        };
        var (outcome, entry) = await ledger.ClaimAsync(key, claim, cancellationToken).ConfigureAwait(false);
        var failure = new SubmissionPlanFailure { Origin = input.Origin, Source = image.Source, CorrelationId = correlationId, Errors = [] };

        switch (outcome)
        {
            case ClaimOutcome.Claimed:
                var plan = new SubmissionPlan
                {
                    Model = validation.Model,
                    BuildRequest = validation.ToRequest,
                    ImageBlob = image.Blob,
                    ImageUrl = image.Url,
                    Source = image.Source,
                    Origin = input.Origin,
                    CorrelationId = correlationId,
                    MaxAttempts = input.MaxAttempts,
                };
                try
                {
                    return FromOutcome(await submitter.SubmitAsync(plan, entry, subject, cancellationToken).ConfigureAwait(false), replayed: false);
                }
                catch (TransientSubmissionException ex)
                {
                    return new SubmissionResult
                    {
                        Status = SubmissionStatus.Unavailable,
                        Detail = ex.Message,
                        RetryAfter = ex.RetryAfter ?? TimeSpan.FromSeconds(5),
                        Errors = [new RecordError("request", "unavailable", ex.Message)],
                        CorrelationId = correlationId,
                    };
                }

            case ClaimOutcome.RecordPending:
                // Only the first tracking message may be owed: the task record is then the one already kept.
                var owed = entry.RecordJson ?? entry.TaskRecordJson;
                await submitter.WriteOwedRecordAsync(entry, subject, correlationId, cancellationToken).ConfigureAwait(false);
                return Replay(entry, owed, correlationId);
            case ClaimOutcome.AlreadyRecorded:
                return Replay(entry, entry.TaskRecordJson, correlationId);
            case ClaimOutcome.KeyReusedWithDifferentBody:
                return new SubmissionResult
                {
                    Status = SubmissionStatus.KeyConflict,
                    Errors = [new RecordError("Idempotency-Key", "idempotency_key_reused", $"The idempotency key '{idempotencyKey}' was used before with a different body; use a new key for a new submission.")],
                    CorrelationId = correlationId,
                };
            case ClaimOutcome.InProgress:
                return new SubmissionResult { Status = SubmissionStatus.InProgress, RetryAfter = TimeSpan.FromSeconds(2), Detail = "A submission with this idempotency key is in progress; try again shortly.", CorrelationId = correlationId };
            case ClaimOutcome.MarkedAmbiguous:
                var expired = failure with { Errors = [new RecordError("request", entry.LastErrorCode ?? "claim_expired", entry.LastErrorMessage ?? "")] };
                return FromOutcome(await submitter.RecordExpiredClaimAsync(expired, entry, subject, cancellationToken).ConfigureAwait(false), replayed: false);
            case ClaimOutcome.AlreadyAmbiguous:
                return new SubmissionResult { Status = SubmissionStatus.Ambiguous, Replayed = true, Errors = LastError(entry), Detail = AmbiguousDetail, CorrelationId = correlationId };
            default:
                return new SubmissionResult { Status = SubmissionStatus.Refused, Replayed = true, Errors = LastError(entry), Detail = "Refused earlier under this idempotency key.", CorrelationId = correlationId };
        }
    }

    private const string AmbiguousDetail =
        "ModelStream may or may not have started this video; it was not re-sent, to avoid charging twice. It is recorded as ambiguous: check ModelStream, then redrive with --force only if it did not start.";

    private static SubmissionResult FromOutcome(ProcessingOutcome outcome, bool replayed) => new()
    {
        Status = outcome.Status switch
        {
            OutcomeStatus.Submitted => SubmissionStatus.Accepted,
            OutcomeStatus.Ambiguous => SubmissionStatus.Ambiguous,
            OutcomeStatus.Failed => SubmissionStatus.Unavailable,
            _ => SubmissionStatus.Refused,
        },
        Record = outcome.Record,
        Errors = outcome.Errors ?? [],
        Detail = outcome.Status == OutcomeStatus.Ambiguous ? AmbiguousDetail : outcome.Detail,
        Replayed = replayed,
        CorrelationId = outcome.CorrelationId,
    };

    private static SubmissionResult Replay(LedgerEntry entry, string? recordJson, string correlationId)
    {
        var record = recordJson is null ? null : JsonSerializer.Deserialize(recordJson, RecordJsonContext.Default.TaskRecord);
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
        var prefix = StartFrameOptions.UploadsContainer + "/";
        if (address is null || !address.StartsWith(prefix, StringComparison.Ordinal) || address.Length == prefix.Length)
        {
            // Only the uploads container: a SAS for any other blob of the account would hand out data that is not a start frame.
            return (null, [new RecordError(SubmissionFields.Blob, ValidationCodes.NotAllowed, $"blob must be a string naming a blob in the uploads container, like \"{prefix}cats/cat.png\"; got {Show(body[SubmissionFields.Blob])}")]);
        }

        var blob = blobs.GetBlobContainerClient(StartFrameOptions.UploadsContainer).GetBlobClient(address[prefix.Length..]);
        var head = await UploadReader.ReadImageHeadAsync(blob, cancellationToken).ConfigureAwait(false);
        if (head is null)
        {
            return (null, [new RecordError(SubmissionFields.Blob, "not_found", $"there is no blob {address}; upload it first (startframe upload)")]);
        }

        var source = new RecordSource { Container = blob.BlobContainerName, Blob = blob.Name, Etag = head.ETag, ContentType = head.ContentType, Length = head.Length };
        return (new ResolvedImage(blob, null, source, new ImageSample(head.Bytes, head.Length, blob.Name, head.ContentType), address), []);
    }

    private (ResolvedImage? Image, IReadOnlyList<RecordError> Errors) ResolveUrl(string? text)
    {
        var allowHttp = options.Value.AllowHttpImageUrls;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && !(allowHttp && url.Scheme == Uri.UriSchemeHttp)))
        {
            var schemes = allowHttp ? "an absolute https:// or http:// URL" : "an absolute https:// URL (http is accepted only with StartFrame__AllowHttpImageUrls=true, for local development)";
            return (null, [new RecordError(SubmissionFields.ImageUrl, ValidationCodes.NotAllowed, $"imageUrl must be {schemes}; got {Show(text)}")]);
        }

        // A URL is passed through untouched; its bytes are ModelStream's to fetch, so only its shape is checked here.
        var source = new RecordSource { Url = UrlRedaction.WithoutQuery(url) };
        return (new ResolvedImage(null, url, source, null, UrlRedaction.WithoutQuery(url)), []);
    }

    private static string Show(JsonNode? node) => node is null ? "nothing" : node.ToJsonString();

    /// <summary>A hash of what the caller asked for (bookkeeping fields left out), to tell a replay from a reused key.</summary>
    private static string BodyHash(JsonObject body)
    {
        var copy = (JsonObject)body.DeepClone();
        copy.Remove(SubmissionFields.CorrelationId);
        copy.Remove(SubmissionFields.IdempotencyKey);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(copy)!.ToJsonString())));
    }

    private static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Canonical(p.Value)))),
        JsonArray array => new JsonArray(array.Select(Canonical).ToArray()),
        _ => node?.DeepClone(),
    };

    private sealed record ResolvedImage(BlobClient? Blob, Uri? Url, RecordSource Source, ImageSample? Sample, string Subject);
}
