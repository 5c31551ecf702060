using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StartFrame.Core;
using StartFrame.LocalDev.Dev;
using StartFrame.LocalDev.Logging;

namespace StartFrame.LocalDev.InProcess;

/// <summary>
/// The function app without Azure Functions Core Tools: the same core (<c>AddStartFrame</c>, as
/// <c>StartFrameFunctionsApp.Configure</c> adds it) in this process, its triggers played the way the host plays them
/// (<see cref="InProcessFunctions"/>) and its HTTP functions on Kestrel on loopback. Starting it creates the containers,
/// queues and ledger table, as the function app does at start-up.
/// </summary>
public sealed class InProcessFunctionHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TaskCompletionSource _stopping = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private InProcessFunctionHost(WebApplication app, Uri apiBaseAddress)
    {
        _app = app;
        ApiBaseAddress = apiBaseAddress;
        app.Lifetime.ApplicationStopping.Register(() => _stopping.TrySetResult());
    }

    /// <summary>The HTTP API's root, e.g. <c>http://127.0.0.1:7071/api/</c>.</summary>
    public Uri ApiBaseAddress { get; }

    /// <summary>The <c>[Function]</c> names of the app this host runs in process; every function of the app must be here.</summary>
    public static IReadOnlyList<string> Functions => InProcessFunctions.Names;

    /// <summary>Completes when the host stops, including on its own (a trigger failed: the error is in its log).</summary>
    public Task Stopping => _stopping.Task;

    /// <summary>Starts the host and returns once the HTTP API listens and the triggers run.</summary>
    /// <exception cref="InvalidOperationException">A setting is missing or storage refused the start-up checks.</exception>
    public static async Task<InProcessFunctionHost> StartAsync(InProcessHostOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(InProcessFunctionHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });

        // The function app's configuration and nothing else: app settings from the environment, then the local services'.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddEnvironmentVariables();
        builder.Configuration.AddInMemoryCollection(options.Settings);
        builder.WebHost.UseUrls(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{options.ApiPort}"));
        ConfigureLogging(builder.Logging, options.Logs);
        builder.Services.AddSingleton<IHostLifetime, SessionLifetime>();

        builder.Services.AddStartFrame(builder.Configuration);
        InProcessFunctions.AddTriggers(builder.Services, options);

        var app = builder.Build();
        if (options.Report is { } report)
        {
            app.Use(async (context, next) =>
            {
                await next(context).ConfigureAwait(false);
                report(new DevActivity("http", $"{context.Request.Method} {context.Request.Path}", context.Response.StatusCode.ToString(CultureInfo.InvariantCulture)));
            });
        }

        InProcessFunctions.MapHttp(app, options.Host.HttpRoutePrefix);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new InProcessFunctionHost(app, new Uri($"{address.TrimEnd('/')}/{options.Host.HttpRoutePrefix}/"));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        // Triggers finish the message or blob in hand and give back what they cannot finish in time.
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(grace.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    // The activity lines say what happened (each refusal, retry and poisoning included), so by default there are no logs to
    // say it again; with Logs (dev --verbose) the core's information and up goes to stderr, as the CLI's does.
    private static void ConfigureLogging(ILoggingBuilder logging, bool logs) => ConsoleLogs.Configure(logging, logs, "Microsoft.AspNetCore");
}
