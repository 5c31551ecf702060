using System.Diagnostics;
using Microsoft.Extensions.Http.Logging;
using Microsoft.Extensions.Logging;

namespace ModelStream.Client;

/// <summary>
/// Logs each attempt's method, URL, status and duration, and never a header. It replaces the HTTP client
/// factory's own loggers: those redact header values in the message text but put the raw values (the
/// <c>Authorization</c> key among them) in the structured state, which structured sinks such as
/// Application Insights store as-is.
/// </summary>
internal sealed partial class ModelStreamHttpLogger(ILogger<ModelStreamClient> logger) : IHttpClientLogger
{
    public object? LogRequestStart(HttpRequestMessage request) => Stopwatch.GetTimestamp();

    public void LogRequestStop(object? context, HttpRequestMessage request, HttpResponseMessage response, TimeSpan elapsed) =>
        LogAnswered(logger, request.Method, Where(request), (int)response.StatusCode, elapsed.TotalMilliseconds, CorrelationIdOf(request));

    public void LogRequestFailed(object? context, HttpRequestMessage request, HttpResponseMessage? response, Exception exception, TimeSpan elapsed) =>
        LogFailed(logger, request.Method, Where(request), elapsed.TotalMilliseconds, CorrelationIdOf(request), exception);

    // Scheme, host and path only: a query string could carry a signature.
    private static string Where(HttpRequestMessage request) => request.RequestUri?.GetLeftPart(UriPartial.Path) ?? "";

    private static string? CorrelationIdOf(HttpRequestMessage request) =>
        request.Headers.TryGetValues(ModelStreamClient.CorrelationIdHeader, out var values) ? values.FirstOrDefault() : null;

    [LoggerMessage(EventId = 1, EventName = "ModelStreamAnswered", Level = LogLevel.Information,
        Message = "ModelStream {Method} {Url} answered {StatusCode} in {ElapsedMilliseconds:0} ms (correlation {CorrelationId})")]
    private static partial void LogAnswered(ILogger logger, HttpMethod method, string url, int statusCode, double elapsedMilliseconds, string? correlationId);

    [LoggerMessage(EventId = 2, EventName = "ModelStreamNoAnswer", Level = LogLevel.Information,
        Message = "ModelStream {Method} {Url} got no answer after {ElapsedMilliseconds:0} ms (correlation {CorrelationId})")]
    private static partial void LogFailed(ILogger logger, HttpMethod method, string url, double elapsedMilliseconds, string? correlationId, Exception exception);
}
