using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;
using StartFrame.Core.Records;
using StartFrame.Core.Submitting;

namespace StartFrame.Core.WaysIn;

/// <summary>
/// One message of <c>video-submissions</c> (the HTTP body plus optional <c>correlationId</c>/<c>idempotencyKey</c>;
/// schema: <c>WaysIn/submission-message.schema.json</c>). Invalid input becomes a failure record and the message
/// completes; one that waits for a provider slot is queued again, delayed, and completes; a transient failure (or
/// another run's live claim on the same key) throws so the host retries it —
/// idempotently: without an <c>idempotencyKey</c> the key is derived from the body (<see cref="SubmissionKeys.DefaultQueueKey"/>),
/// so a redelivery and a copy replayed from <c>video-submissions-poison</c> by <c>startframe redrive --poison</c> claim the same key.
/// </summary>
public sealed class SubmissionQueueProcessor(
    JsonSubmissions submissions,
    ClaimedSubmitter submitter,
    QueueServiceClient queues,
    IOptions<StartFrameOptions> options,
    Redaction.Redactor redactor) : ISubmissionQueueProcessor
{
    /// <inheritdoc />
    public async Task ProcessAsync(string messageText, string messageId, long dequeueCount, CancellationToken cancellationToken)
    {
        JsonObject? body = null;
        RecordError? problem = null;
        try
        {
            body = Validation.StrictJson.Parse(messageText) as JsonObject;
            problem = body is null ? new RecordError("message", "not_an_object", "the message must be a JSON object: the sidecar fields plus \"blob\" or \"imageUrl\"") : null;
        }
        catch (JsonException ex)
        {
            problem = new RecordError("message", "invalid_json", Validation.JsonProblems.Describe("the message", ex));
        }

        if (problem is not null || body is null)
        {
            await RejectAsync(null, messageId, [problem!], cancellationToken).ConfigureAwait(false);
            return;
        }

        // Before the default key is derived from the body: text that is not UTF-16 cannot be hashed, sent or recorded.
        if (SubmissionLimits.CheckText(body) is { Count: > 0 } notText)
        {
            await RejectAsync(null, messageId, notText, cancellationToken).ConfigureAwait(false);
            return;
        }

        var result = await submissions.SubmitAsync(new SubmissionInput
        {
            Body = body,
            Origin = Origins.Queue,
            IdempotencyKey = SubmissionFields.ReadString(body, SubmissionFields.IdempotencyKey) ?? SubmissionKeys.DefaultQueueKey(body),
            CorrelationId = SubmissionFields.ReadString(body, SubmissionFields.CorrelationId) ?? messageId,
            Traceparent = SubmissionFields.ReadString(body, SubmissionFields.Traceparent),
            MaxAttempts = int.MaxValue, // the host's maxDequeueCount and poison queue bound the retries
        }, cancellationToken).ConfigureAwait(false);

        switch (result.Status)
        {
            case SubmissionStatus.Invalid or SubmissionStatus.KeyConflict:
                await RejectAsync(body, result.CorrelationId, result.Errors, cancellationToken).ConfigureAwait(false);
                return;
            case SubmissionStatus.Unavailable when result.WaitingForSlot:
                await LookAgainLaterAsync(body, messageText, result, cancellationToken).ConfigureAwait(false);
                return;
            case SubmissionStatus.Unavailable or SubmissionStatus.InProgress:
                throw new TransientSubmissionException(redactor.Text($"Submission message {messageId} (delivery {dequeueCount}) could not be submitted now: {result.Detail}")) { RetryAfter = result.RetryAfter };
            default:
                return; // accepted, refused or ambiguous: the task or failure record is already on its queue
        }
    }

    /// <summary>
    /// Every provider slot is taken: the submission looks again as a new message, invisible until then, and this one
    /// completes. Thrown instead, it would come back only after the host's visibility timeout and count as a delivery,
    /// so a long batch would move it to the poison queue; a new message waits as long as it must, and gives up only by
    /// time (<c>StartFrame__SlotWaitLimit</c>, kept in the ledger). The text is the same submission: the same
    /// idempotency key and body hash, plus the first look's <c>traceparent</c> when it named none (a field both leave
    /// out), so every look is one trace. Too long for that, it is sent as it came.
    /// </summary>
    private async Task LookAgainLaterAsync(JsonObject body, string messageText, SubmissionResult result, CancellationToken cancellationToken)
    {
        var text = messageText;
        if (result.Traceparent is { } traceparent && SubmissionFields.ReadString(body, SubmissionFields.Traceparent) is null)
        {
            body[SubmissionFields.Traceparent] = traceparent;
            var traced = SubmissionQueueSender.MessageText(body);
            text = Encoding.UTF8.GetByteCount(traced) <= SubmissionQueueSender.MaxMessageBytes ? traced : messageText;
        }

        var delay = result.RetryAfter ?? options.Value.SlotRecheckDelay;
        await queues.GetQueueClient(StartFrameOptions.SubmissionsQueue)
            .SendMessageAsync(text, visibilityTimeout: delay, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private Task RejectAsync(JsonObject? body, string correlationId, IReadOnlyList<RecordError> errors, CancellationToken cancellationToken)
    {
        var address = body is null ? null : SubmissionFields.ReadString(body, SubmissionFields.Blob);
        var url = body is null ? null : SubmissionFields.ReadString(body, SubmissionFields.ImageUrl);
        var slash = address?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        var source = new RecordSource
        {
            Container = slash > 0 ? RecordLimits.Cut(address![..slash], RecordLimits.MaxFieldLength) : null,
            Blob = slash > 0 ? RecordLimits.Cut(address![(slash + 1)..], Storage.BlobNames.MaxLength) : null,
            Url = url is null ? null : RecordLimits.Cut(redactor.Url(url), WaysIn.SubmissionLimits.MaxImageUrlLength),
        };
        var failure = new SubmissionPlanFailure { Origin = Origins.Queue, Source = source, CorrelationId = correlationId, Errors = errors };
        return submitter.WriteRejectionWithoutClaimAsync(failure, "queue message " + correlationId, cancellationToken);
    }
}
