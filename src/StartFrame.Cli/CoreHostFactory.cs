using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ModelStream.Client;
using StartFrame.Core;

namespace StartFrame.Cli;

/// <summary>
/// The core, hosted for one CLI command with the function app's configuration: environment variables
/// (<c>AzureWebJobsStorage</c>, <c>ModelStream__BaseUrl</c>, <c>ModelStream__ApiKey</c>, <c>StartFrame__…</c>),
/// plus explicit overrides (the demo's Azurite and simulator). Starting it validates the options and creates
/// missing containers, queues and the ledger table, as the function app does at startup.
/// </summary>
internal static class CoreHostFactory
{
    /// <param name="overrides">Settings that win over the environment (the demo's Azurite and simulator).</param>
    /// <param name="callsModelStream">False for a command that only reads and writes storage (<c>download</c>,
    /// <c>redrive --owed</c>): the <c>ModelStream__*</c> settings, the API key included, are then not required.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<IHost> StartAsync(IReadOnlyDictionary<string, string?>? overrides, bool callsModelStream, CancellationToken cancellationToken)
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

        if (Commands.StorageSetting.Problem(builder.Configuration) is { } problem)
        {
            throw new Commands.InvalidSettingException(problem);
        }

        CliLogging.Configure(builder.Logging, CliLogging.Verbose);
        builder.Services.AddStartFrame(builder.Configuration);
        if (!callsModelStream)
        {
            // Nothing such a command resolves calls ModelStream, so its settings are not checked at start; an unset key
            // stays unset (and the redactor has nothing of it to remove).
            builder.Services.RemoveAll<IValidateOptions<ModelStreamClientOptions>>();
        }

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
