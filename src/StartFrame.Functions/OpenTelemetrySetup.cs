using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
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

    /// <summary>The OTLP endpoint the standard OpenTelemetry variable names; the exporter reads the rest of its settings
    /// (<c>OTEL_EXPORTER_OTLP_HEADERS</c>, <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>) itself.</summary>
    public const string OtlpSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Adds the tracer and meter providers, and the exporters whose settings are set.</summary>
    public static IServiceCollection AddStartFrameOpenTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var azureMonitor = configuration[AzureMonitorSetting];
        var otlp = configuration[OtlpSetting];

        // Parent-based: a span follows its parent's decision (the host's invocation, a caller's traceparent, the
        // traceparent a record kept), so a trace is kept or dropped whole, never a poll without its upload.
        var otel = services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .WithTracing(tracing =>
            {
                tracing.AddSource(StartFrameTelemetry.Name).SetSampler(new ParentBasedSampler(new AlwaysOnSampler()));
                if (!string.IsNullOrWhiteSpace(azureMonitor))
                {
                    tracing.AddAzureMonitorTraceExporter(options => ConfigureAzureMonitor(options, azureMonitor));
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(StartFrameTelemetry.Name);
                if (!string.IsNullOrWhiteSpace(azureMonitor))
                {
                    metrics.AddAzureMonitorMetricExporter(options => ConfigureAzureMonitor(options, azureMonitor));
                }
            });

        // Logs keep going through the classic Application Insights SDK: only traces and metrics are sent this way.
        if (!string.IsNullOrWhiteSpace(otlp))
        {
            otel.WithTracing(tracing => tracing.AddOtlpExporter()).WithMetrics(metrics => metrics.AddOtlpExporter());
        }

        return services;
    }

    /// <summary>Entra ID authentication: the app's managed identity (or a developer's sign-in) instead of the key.</summary>
    private static void ConfigureAzureMonitor(AzureMonitorExporterOptions options, string connectionString)
    {
        options.ConnectionString = connectionString;
        options.Credential = new DefaultAzureCredential();
    }
}
