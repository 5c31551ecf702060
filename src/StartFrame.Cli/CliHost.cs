using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
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

        CliLogging.Configure(builder.Logging, CliLogging.Verbose);
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
