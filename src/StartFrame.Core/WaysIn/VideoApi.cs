using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using StartFrame.Core.Records;
using StartFrame.Core.Redaction;
using StartFrame.Core.Status;

namespace StartFrame.Core.WaysIn;

/// <summary>
/// <c>POST /api/videos</c> and <c>GET /api/videos/{taskId}</c>, host-free: the function binds the request and
/// returns what this answers. Errors are RFC 9457 problem details carrying the validator's <c>errors[]</c>. Every
/// answer's body passes through the <see cref="Redactor"/>.
/// </summary>
public sealed class VideoApi(JsonSubmissions submissions, VideoStatusReader statuses, Redactor redactor) : IVideoApi
{
    /// <summary>The header that makes a retried POST safe.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    private const int MaxBodyBytes = 256 * 1024;
    private const string TraceparentHeader = "traceparent";
    private const string ProblemJson = "application/problem+json";

    /// <inheritdoc />
    public async Task<IResult> SubmitAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // The key's limits are the core's (SubmissionLimits), checked with every other way in before any claim.
        var key = request.Headers[IdempotencyKeyHeader].ToString();
        var (body, problem) = await ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return Redacted(Problem(400, "The submission is not a JSON object", problem!.Message, [problem], null));
        }

        var result = await submissions.SubmitAsync(
            new SubmissionInput { Body = body, Origin = Origins.Http, IdempotencyKey = key.Length == 0 ? null : key, Traceparent = TraceparentOf(request) },
            cancellationToken).ConfigureAwait(false);
        return Redacted(ToHttp(result));
    }

    /// <inheritdoc />
    public async Task<IResult> GetAsync(string taskId, CancellationToken cancellationToken)
    {
        var read = await statuses.ReadAsync(taskId, cancellationToken).ConfigureAwait(false);
        if (read is null)
        {
            return Redacted(Problem(404, "Unknown task", $"No submission with task id '{RecordLimits.Cut(taskId, 200)}' is in the ledger.", [], null));
        }

        // ModelStream unreachable is no reason to hide what the ledger knows: 200 without "generation".
        return Redacted(new JsonHttpResult(200, "application/json", JsonSerializer.Serialize(read.Status, StatusJson.Context.VideoStatus)));
    }

    /// <summary>The HTTP answer for a submission result.</summary>
    public static IResult ToHttp(SubmissionResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var retryAfter = result.RetryAfter is { } wait ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture) : null;
        return result.Status switch
        {
            SubmissionStatus.Accepted => Accepted(result),
            SubmissionStatus.Invalid => Problem(400, "The submission is invalid", result.Detail ?? "Fix the fields named in errors.", result.Errors, result.CorrelationId),
            SubmissionStatus.KeyConflict => Problem(422, "Idempotency-Key reused with a different body", result.Errors[0].Message, result.Errors, result.CorrelationId),
            SubmissionStatus.InProgress => Problem(409, "Submission in progress", result.Detail ?? "", result.Errors, result.CorrelationId, retryAfter),
            SubmissionStatus.Unavailable => Problem(503, "ModelStream is unavailable", (result.Detail ?? "") + " Nothing was charged; retry after the Retry-After delay with the same Idempotency-Key.", result.Errors, result.CorrelationId, retryAfter ?? "5"),
            SubmissionStatus.Ambiguous => Problem(502, "ModelStream's answer is unknown", result.Detail ?? "", result.Errors, result.CorrelationId),
            _ => Problem(502, "ModelStream refused the submission", result.Detail ?? "See errors; the failure is also on the video-task-failures queue.", result.Errors, result.CorrelationId),
        };
    }

    private static JsonHttpResult Accepted(SubmissionResult result)
    {
        var headers = new Dictionary<string, string> { ["Location"] = "videos/" + Uri.EscapeDataString(result.Record!.TaskId) }; // relative to POST .../api/videos, as to $STARTFRAME_API/
        if (result.Replayed)
        {
            headers["Idempotent-Replayed"] = "true";
        }

        return new JsonHttpResult(202, "application/json", RecordJson.Serialize(result.Record), headers);
    }

    private static JsonHttpResult Problem(int status, string title, string detail, IReadOnlyList<RecordError> errors, string? correlationId, string? retryAfter = null)
    {
        var problem = new JsonObject
        {
            ["type"] = "https://httpstatuses.io/" + status.ToString(CultureInfo.InvariantCulture),
            ["title"] = title,
            ["status"] = status,
            ["detail"] = detail,
            ["errors"] = JsonSerializer.SerializeToNode(errors, RecordJson.Context.IReadOnlyListRecordError),
        };
        if (correlationId is not null)
        {
            problem["correlationId"] = correlationId;
        }

        var headers = retryAfter is null ? null : new Dictionary<string, string> { ["Retry-After"] = retryAfter };
        return new JsonHttpResult(status, ProblemJson, problem.ToJsonString(RecordJson.Context.Options), headers);
    }

    private JsonHttpResult Redacted(IResult result)
    {
        var answer = (JsonHttpResult)result;
        return new JsonHttpResult(answer.StatusCode, answer.ContentType, redactor.Text(answer.Body), answer.Headers);
    }

    private static async Task<(JsonObject? Body, RecordError? Problem)> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBodyBytes)
            {
                return (null, new RecordError("body", "too_large", $"the body is larger than {MaxBodyBytes / 1024} KiB"));
            }
        }

        try
        {
            return Validation.StrictJson.Parse(buffer.ToArray()) is JsonObject body
                ? (body, null)
                : (null, new RecordError("body", "not_an_object", "the body must be a JSON object: the sidecar fields plus \"blob\" or \"imageUrl\""));
        }
        catch (JsonException ex)
        {
            return (null, new RecordError("body", "invalid_json", Validation.JsonProblems.Describe("the body", ex)));
        }
    }

    /// <summary>The caller's W3C <c>traceparent</c> header, if it sent one: the submission's trace continues the caller's.</summary>
    private static string? TraceparentOf(HttpRequest request)
    {
        var header = request.Headers[TraceparentHeader].ToString();
        return header.Length == 0 ? null : header;
    }
}
