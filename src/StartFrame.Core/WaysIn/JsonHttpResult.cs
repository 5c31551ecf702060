using System.Text;
using Microsoft.AspNetCore.Http;

namespace StartFrame.Core.WaysIn;

/// <summary>
/// A JSON answer written exactly as built (status, content type, headers, body), so the HTTP API needs no
/// serializer configuration from the host and its tests can read back precisely what a caller gets.
/// </summary>
public sealed class JsonHttpResult(int statusCode, string contentType, string body, IReadOnlyDictionary<string, string>? headers = null) : IResult
{
    /// <summary>The HTTP status.</summary>
    public int StatusCode { get; } = statusCode;

    /// <summary>The content type.</summary>
    public string ContentType { get; } = contentType;

    /// <summary>The JSON body.</summary>
    public string Body { get; } = body;

    /// <summary>Extra response headers (Location, Retry-After, Idempotent-Replayed).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; } = headers ?? new Dictionary<string, string>();

    /// <inheritdoc />
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = StatusCode;
        response.ContentType = ContentType;
        foreach (var (name, value) in Headers)
        {
            response.Headers[name] = value;
        }

        var bytes = Encoding.UTF8.GetBytes(Body);
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, httpContext.RequestAborted).ConfigureAwait(false);
    }
}
