using Azure.Core;
using Azure.Core.Pipeline;

namespace StartFrame.Core.Storage;

/// <summary>
/// The HTTP transport every storage client of the core shares: Azure.Core's own handler defaults (no automatic
/// redirects, no cookies), without .NET's HttpClient diagnostics handler. With a span current, that handler starts an
/// Activity on every blob, queue and table request — a span the app's OpenTelemetry does not export (it exports the
/// StartFrame source, not HttpClient's) — and allocated a third of what tracing added to an upload. The requests still
/// carry the trace: Azure.Core writes the current stage span's own <c>traceparent</c>, a span that is exported. A
/// listener of the Azure SDK's own diagnostics (the classic Application Insights dependency tracking) still sees each
/// storage call through Azure.Core, not through HttpClient.
/// </summary>
public static class StorageTransport
{
    /// <summary>One transport (one connection pool) for the blob, queue and table clients.</summary>
    public static HttpPipelineTransport Shared { get; } = new HttpClientTransport(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        // Null leaves .NET's diagnostics handler out of this handler's chain: no Activity, no header.
        ActivityHeadersPropagator = null,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    });

    /// <summary><paramref name="options"/> with the shared transport, unless the caller chose another.</summary>
    public static T Apply<T>(T options)
        where T : ClientOptions
    {
        ArgumentNullException.ThrowIfNull(options);
        if (ReferenceEquals(options.Transport, HttpClientTransport.Shared))
        {
            options.Transport = Shared;
        }

        return options;
    }
}
