using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StartFrame.Core;

namespace StartFrame.Functions;

/// <summary>
/// The function app's whole set-up, in one method that <c>Program.cs</c> and the start-up tests both call, so the
/// tests build exactly the host the app builds.
/// </summary>
public static class StartFrameFunctionsApp
{
    /// <summary>Configures the worker: ASP.NET Core integration, Application Insights, log filters, the core, its traces.</summary>
    /// <exception cref="InvalidOperationException">A required setting (e.g. <c>AzureWebJobsStorage</c>) is missing; the message names it.</exception>
    public static FunctionsApplicationBuilder Configure(FunctionsApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // ASP.NET Core integration: the HTTP functions take HttpRequest and return IResult.
        builder.ConfigureFunctionsWebApplication();

        builder.Services
            .AddApplicationInsightsTelemetryWorkerService()
            .ConfigureFunctionsApplicationInsights();

        // The Application Insights SDK adds a rule that drops worker logs below Warning; remove it so the
        // levels in host.json / configuration decide (see the isolated worker guide, "Application Insights").
        builder.Logging.Services.Configure<LoggerFilterOptions>(options =>
        {
            var defaultRule = options.Rules.FirstOrDefault(rule =>
                rule.ProviderName == "Microsoft.Extensions.Logging.ApplicationInsights.ApplicationInsightsLoggerProvider");
            if (defaultRule is not null)
            {
                options.Rules.Remove(defaultRule);
            }
        });

        // The Azure SDK logs every 404/409 as a warning; the core expects those (a sidecar not there yet, a lost
        // claim race) and surfaces real failures itself.
        builder.Logging.AddFilter("Azure.Core", LogLevel.Error);

        builder.Services.AddStartFrame(builder.Configuration);
        builder.Services.AddStartFrameOpenTelemetry(builder.Configuration);
        return builder;
    }
}
