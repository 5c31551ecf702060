using System.Globalization;
using System.Text;

namespace ModelStream.Client;

/// <summary>
/// Builds the <see cref="ModelStreamException"/> for each way a call can fail, with a one-line message that says
/// what happened and what to do about it. Nothing from the service reaches a message unsanitized: it is cut to
/// one line, shortened, and the API key is blanked in case a gateway echoes it back.
/// </summary>
internal sealed class ModelStreamErrors(string apiKey)
{
    private const int MaxQuotedLength = 300;
    private const string LookBeforeResending = "it may have been accepted, so look for the task before re-sending";

    public ModelStreamException FromResponse(int status, TimeSpan? retryAfter, string? body, ModelStreamOperation operation, string? taskId = null)
    {
        var kind = FailurePolicy.Classify(status, operation);
        var error = ServiceError.Parse(body);
        var serviceMessage = Clean(error?.Message);
        var detail = new StringBuilder().Append(status.ToString(CultureInfo.InvariantCulture));
        if (error?.Code is { } code)
        {
            detail.Append(' ').Append(Clean(code));
        }

        if (error?.Param is { } param)
        {
            detail.Append(", param '").Append(Clean(param)).Append('\'');
        }

        var what = operation == ModelStreamOperation.Poll
            ? $"ModelStream could not report task '{Clean(taskId)}' ({detail}){PollAdvice(kind, retryAfter)}"
            : $"{SubmitHeadline(status, kind, detail.ToString())}{SubmitAdvice(status, kind, retryAfter)}";
        var why = serviceMessage ?? (error is null && !string.IsNullOrWhiteSpace(body) ? $"the body was not an error object ('{Clean(body, 80)}')" : null);

        return new ModelStreamException(why is null || Says(what, why) ? what : $"{what}: {why}", status, kind)
        {
            ErrorCode = error?.Code,
            ErrorType = error?.Type,
            Param = error?.Param,
            ServiceMessage = serviceMessage,
            RetryAfter = retryAfter,
        };
    }

    public ModelStreamException FromTransport(HttpRequestException exception, Uri endpoint, ModelStreamOperation operation)
    {
        var kind = FailurePolicy.Classify(exception, operation);
        var message = FailurePolicy.NeverSent(exception)
            ? $"Could not connect to ModelStream at {endpoint.GetLeftPart(UriPartial.Authority)} ({exception.HttpRequestError}); the request was not sent, try again later: {Clean(exception.Message)}"
            : operation == ModelStreamOperation.Poll
                ? $"The connection to ModelStream failed during a poll ({exception.HttpRequestError}); try again later: {Clean(exception.Message)}"
                : $"The connection to ModelStream failed after the request was sent ({exception.HttpRequestError}); {LookBeforeResending}: {Clean(exception.Message)}";
        return new ModelStreamException(message, 0, kind, exception);
    }

    public static ModelStreamException FromTimeout(TimeSpan timeout, ModelStreamOperation operation, Exception exception)
    {
        var seconds = timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        return operation == ModelStreamOperation.Poll
            ? new ModelStreamException($"ModelStream did not answer a poll within {seconds}s; try again later.", 0, ModelStreamFailureKind.Transient, exception)
            : new ModelStreamException($"ModelStream did not answer within {seconds}s; {LookBeforeResending}.", 0, ModelStreamFailureKind.Ambiguous, exception);
    }

    public static ModelStreamException UnreadableSuccess(int status, string problem, ModelStreamOperation operation, Exception? exception = null) =>
        operation == ModelStreamOperation.Poll
            ? new ModelStreamException($"ModelStream answered a poll with {status.ToString(CultureInfo.InvariantCulture)} but {problem}; try again later.", status, ModelStreamFailureKind.Transient, exception)
            : new ModelStreamException($"ModelStream answered {status.ToString(CultureInfo.InvariantCulture)} but {problem}; {LookBeforeResending}.", status, ModelStreamFailureKind.Ambiguous, exception);

    private static string SubmitHeadline(int status, ModelStreamFailureKind kind, string detail) => (status, kind) switch
    {
        (429, _) => $"ModelStream is rate limiting requests ({detail}); the request was not processed",
        (503, _) => $"ModelStream is unavailable ({detail}); the request was not processed",
        (_, ModelStreamFailureKind.Permanent) => $"ModelStream refused the request ({detail})",
        _ => $"ModelStream failed while handling the request ({detail}); {LookBeforeResending}",
    };

    private static string SubmitAdvice(int status, ModelStreamFailureKind kind, TimeSpan? retryAfter) => (status, kind) switch
    {
        (401, _) => "; check the ModelStream:ApiKey setting",
        (402, _) => "; the account's quota is used up",
        (_, ModelStreamFailureKind.Transient) => retryAfter is { } wait ? $", retry after {FormatWait(wait)}" : ", try again later",
        _ => "",
    };

    private static string PollAdvice(ModelStreamFailureKind kind, TimeSpan? retryAfter) => kind switch
    {
        ModelStreamFailureKind.Permanent => "",
        _ => retryAfter is { } wait ? $"; retry after {FormatWait(wait)}" : "; try again later",
    };

    /// <summary>True when <paramref name="sentence"/> already says <paramref name="quote"/> (the 402 advice and the service's own
    /// "The account's quota is used up."): a message never says the same thing twice.</summary>
    private static bool Says(string sentence, string quote) =>
        sentence.Contains(quote.Trim().TrimEnd('.'), StringComparison.OrdinalIgnoreCase);

    private static string FormatWait(TimeSpan wait) =>
        wait.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";

    /// <summary>One line, bounded, and never the key.</summary>
    private string? Clean(string? text, int maxLength = MaxQuotedLength)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (apiKey.Length > 0)
        {
            text = text.Replace(apiKey, "[redacted]", StringComparison.Ordinal);
        }

        var oneLine = string.Join(' ', text.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return oneLine.Length <= maxLength ? oneLine : string.Concat(oneLine.AsSpan(0, maxLength), "…");
    }
}
