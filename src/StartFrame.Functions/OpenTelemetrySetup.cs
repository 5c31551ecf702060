using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using StartFrame.Core;
using StartFrame.Core.Telemetry;

namespace StartFrame.Functions;

/// <summary>
/// The worker's OpenTelemetry: the core's <c>StartFrame</c> spans and metrics, joined to the Functions host's
/// invocation context, exported to Azure Monitor and/or an OTLP endpoint when their settings are present.
/// </summary>
public static class OpenTelemetrySetup
{
    /// <summary>The Application Insights connection string (no key in it with Entra auth: the credential signs in).</summary>
    public const string AzureMonitorSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>Which identity signs in to Application Insights: <c>ClientId=&lt;id&gt;;Authorization=AAD</c> (the platform's
    /// own setting, which the host reads too); without a client id, the system-assigned identity or a developer's sign-in.</summary>
    public const string AzureMonitorAuthenticationSetting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    /// <summary>The OTLP endpoint the standard OpenTelemetry variable names; the exporter reads the rest of its settings
    /// (<c>OTEL_EXPORTER_OTLP_HEADERS</c>, <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>) itself.</summary>
    public const string OtlpSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Adds the tracer and meter providers, and the exporters whose settings are set.</summary>
    public static IServiceCollection AddStartFrameOpenTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var azureMonitor = configuration[AzureMonitorSetting];
        var clientId = ClientIdOf(configuration[AzureMonitorAuthenticationSetting]);
        var otlp = configuration[OtlpSetting];

        // The failed-span keeper runs before every exporter's processor, so it is added first.
        var otel = services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .WithTracing(tracing =>
            {
                tracing.AddSource(StartFrameTelemetry.Name).AddProcessor(new FailedSpanKeeper());
                if (!string.IsNullOrWhiteSpace(azureMonitor))
                {
                    tracing.AddAzureMonitorTraceExporter(options => ConfigureAzureMonitor(options, azureMonitor, clientId));
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(StartFrameTelemetry.Name);
                if (!string.IsNullOrWhiteSpace(azureMonitor))
                {
                    metrics.AddAzureMonitorMetricExporter(options => ConfigureAzureMonitor(options, azureMonitor, clientId));
                }
            });

        // Logs keep going through the classic Application Insights SDK: only traces and metrics are sent this way.
        if (!string.IsNullOrWhiteSpace(otlp))
        {
            otel.WithTracing(tracing => tracing.AddOtlpExporter()).WithMetrics(metrics => metrics.AddOtlpExporter());
        }

        // Parent-based: a span follows its parent's decision (the host's invocation, a caller's traceparent, the
        // traceparent a record kept), so a trace is kept or dropped whole, never a poll without its upload; a new trace
        // is kept at StartFrame:TraceSampleRatio, and a failed span always. Set last: the Azure Monitor exporter sets a
        // rate-limited sampler of its own, and the last sampler set is the one used.
        otel.WithTracing(tracing => tracing.SetSampler(
            provider => TraceSampling.For(provider.GetRequiredService<IOptions<StartFrameOptions>>().Value.TraceSampleRatio)));

        return services;
    }

    /// <summary>Entra ID authentication: the app's managed identity (or a developer's sign-in) instead of the key.</summary>
    private static void ConfigureAzureMonitor(AzureMonitorExporterOptions options, string connectionString, string? clientId)
    {
        options.ConnectionString = connectionString;
        options.Credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });
    }

    /// <summary>The <c>ClientId</c> of an authentication string (<c>ClientId=…;Authorization=AAD</c>), or null.</summary>
    private static string? ClientIdOf(string? authentication) =>
        (authentication ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2, StringSplitOptions.TrimEntries))
            .Where(pair => pair.Length == 2 && pair[0].Equals("ClientId", StringComparison.OrdinalIgnoreCase) && pair[1].Length > 0)
            .Select(pair => pair[1])
            .FirstOrDefault();
}
