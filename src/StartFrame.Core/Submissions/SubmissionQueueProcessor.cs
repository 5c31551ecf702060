using System.Text.Json;
using System.Text.Json.Nodes;
using StartFrame.Core.Pipeline;
using StartFrame.Core.Records;

namespace StartFrame.Core.Submissions;

/// <summary>
/// One message of <c>video-submissions</c> (the HTTP body plus optional <c>correlationId</c>/<c>idempotencyKey</c>;
/// schema: <c>Submissions/submission-message.schema.json</c>). Invalid input becomes a failure record and the message
/// completes; a transient failure throws so the host retries it (idempotently: the key defaults to the message id)
/// and, after <c>maxDequeueCount</c>, moves it to <c>video-submissions-poison</c>, which <c>startframe redrive --poison</c> replays.
/// </summary>
public sealed class SubmissionQueueProcessor(VideoSubmissionService submissions, ClaimedSubmitter submitter) : ISubmissionQueueProcessor
{
    /// <inheritdoc />
    public async Task ProcessAsync(string messageText, string messageId, long dequeueCount, CancellationToken cancellationToken)
    {
        JsonObject? body = null;
        RecordError? problem = null;
        try
        {
            body = JsonNode.Parse(messageText) as JsonObject;
            problem = body is null ? new RecordError("message", "not_an_object", "the message must be a JSON object: the sidecar fields plus \"blob\" or \"imageUrl\"") : null;
        }
        catch (JsonException ex)
        {
            problem = new RecordError("message", "invalid_json", "the message is not valid JSON: " + ex.Message);
        }

        if (problem is not null || body is null)
        {
            await RejectAsync(null, messageId, [problem!], cancellationToken).ConfigureAwait(false);
            return;
        }

        var result = await submissions.SubmitAsync(new SubmissionInput
        {
            Body = body,
            Origin = Origins.Queue,
            IdempotencyKey = SubmissionFields.ReadString(body, SubmissionFields.IdempotencyKey) ?? "msg:" + messageId,
            CorrelationId = SubmissionFields.ReadString(body, SubmissionFields.CorrelationId) ?? messageId,
            MaxAttempts = int.MaxValue, // the host's maxDequeueCount and poison queue bound the retries
        }, cancellationToken).ConfigureAwait(false);

        switch (result.Status)
        {
            case SubmissionStatus.Invalid or SubmissionStatus.KeyConflict:
                await RejectAsync(body, result.CorrelationId, result.Errors, cancellationToken).ConfigureAwait(false);
                return;
            case SubmissionStatus.Unavailable or SubmissionStatus.InProgress:
                throw new TransientSubmissionException($"Submission message {messageId} (delivery {dequeueCount}) could not be submitted now: {result.Detail}") { RetryAfter = result.RetryAfter };
            default:
                return; // accepted, refused or ambiguous: the task or failure record is already on its queue
        }
    }

    private Task RejectAsync(JsonObject? body, string correlationId, IReadOnlyList<RecordError> errors, CancellationToken cancellationToken)
    {
        var address = body is null ? null : SubmissionFields.ReadString(body, SubmissionFields.Blob);
        var url = body is null ? null : SubmissionFields.ReadString(body, SubmissionFields.ImageUrl);
        var slash = address?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        var source = new RecordSource
        {
            Container = slash > 0 ? address![..slash] : null,
            Blob = slash > 0 ? address![(slash + 1)..] : null,
            Url = url is null ? null : Storage.UrlRedaction.WithoutQuery(url),
        };
        var failure = new SubmissionPlanFailure { Origin = Origins.Queue, Source = source, CorrelationId = correlationId, Errors = errors };
        return submitter.WriteRejectionWithoutClaimAsync(failure, "queue message " + correlationId, cancellationToken);
    }
}
