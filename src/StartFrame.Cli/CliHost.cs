using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StartFrame.Core;

namespace StartFrame.Cli;

/// <summary>
/// The core, hosted for one CLI command with the function app's configuration: environment variables
/// (<c>AzureWebJobsStorage</c>, <c>ModelStream__BaseUrl</c>, <c>ModelStream__ApiKey</c>, <c>StartFrame__…</c>),
/// plus explicit overrides (the demo's Azurite and simulator). Starting it validates the options and creates
/// missing containers, queues and the ledger table, as the function app does at startup.
/// </summary>
internal static class CliHost
{
    public static async Task<IHost> StartAsync(IReadOnlyDictionary<string, string?>? overrides, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ContentRootPath = Directory.GetCurrentDirectory(),
        });
        builder.Configuration.AddEnvironmentVariables();
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        // Logs go to stderr (stdout is for results) and only when something is wrong.
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        // The Azure SDK logs every 404/409 as a warning; the pipeline expects those (missing sidecar, claim races).
        builder.Logging.AddFilter("Azure", LogLevel.Error);

        // Commands report start-up failures and retries themselves, in one line; the host's stack trace and
        // Polly's per-retry warnings would bury that line.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        builder.Logging.AddFilter("Polly", LogLevel.Error);
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddStartFrame(builder.Configuration);

        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return host;
    }
}
