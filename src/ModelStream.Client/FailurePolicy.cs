using System.Net;
using System.Net.Http.Headers;
using Polly;

namespace ModelStream.Client;

/// <summary>
/// The one place that decides what a failure means: which answers the pipeline may retry, and what the
/// caller is told once it gives up. Kept together so the retry predicate and the classification cannot drift.
/// </summary>
internal static class FailurePolicy
{
    /// <summary>Answers that prove the request was not processed, so re-sending cannot charge twice.</summary>
    public static bool IsNotProcessed(int status) =>
        status is (int)HttpStatusCode.TooManyRequests or (int)HttpStatusCode.ServiceUnavailable;

    /// <summary>The connection failed before a byte of the request left: nothing can have been accepted.</summary>
    public static bool NeverSent(HttpRequestException exception) =>
        exception.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError;

    /// <summary>
    /// Set to false on a request whose caller handles a 429 itself (admission control gives its slot back and waits as a
    /// queue message): the pipeline then hands the 429 straight back instead of waiting out its Retry-After in-process.
    /// </summary>
    public static readonly HttpRequestOptionsKey<bool> RetryThrottled = new("ModelStream.RetryThrottled");

    /// <summary>The retry predicate: 429/503 (unless the service asks for a longer wait than we allow, or the request asked
    /// not to retry a 429) and failed connects.</summary>
    public static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, TimeSpan maxRetryDelay, TimeProvider timeProvider)
    {
        if (outcome.Exception is HttpRequestException exception)
        {
            return NeverSent(exception);
        }

        if (outcome.Result is not { } response || !IsNotProcessed((int)response.StatusCode))
        {
            return false;
        }

        if (response.StatusCode == HttpStatusCode.TooManyRequests
            && response.RequestMessage?.Options.TryGetValue(RetryThrottled, out var retryThrottled) == true && !retryThrottled)
        {
            return false;
        }

        // Waiting longer than MaxRetryDelay would hold the caller (a function invocation) open; better to
        // give up now and hand the caller the Retry-After so it can schedule the next try itself.
        return RetryAfterOf(response.Headers.RetryAfter, timeProvider) is not { } retryAfter || retryAfter <= maxRetryDelay;
    }

    /// <summary>What a final HTTP status means for a caller.</summary>
    public static ModelStreamFailureKind Classify(int status, ModelStreamOperation operation)
    {
        if (IsNotProcessed(status))
        {
            return ModelStreamFailureKind.Transient;
        }

        if (status is >= 400 and < 500 && status != (int)HttpStatusCode.RequestTimeout)
        {
            return ModelStreamFailureKind.Permanent;
        }

        // 500, 502, 504, 408, and anything unexpected: the service may have started the job.
        // A poll is read-only, so for it the same answers only mean "try again".
        return operation == ModelStreamOperation.Poll ? ModelStreamFailureKind.Transient : ModelStreamFailureKind.Ambiguous;
    }

    /// <summary>A transport failure's meaning: never sent is safe to repeat, anything later may have been accepted.</summary>
    public static ModelStreamFailureKind Classify(HttpRequestException exception, ModelStreamOperation operation) =>
        NeverSent(exception) || operation == ModelStreamOperation.Poll ? ModelStreamFailureKind.Transient : ModelStreamFailureKind.Ambiguous;

    /// <summary>The wait a response asked for, from either a delay or a date.</summary>
    public static TimeSpan? RetryAfterOf(RetryConditionHeaderValue? header, TimeProvider timeProvider)
    {
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - timeProvider.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }
}
