using System.Diagnostics;
using Azure.Storage.Blobs;
using StartFrame.Core;
using StartFrame.LocalDev.EventGrid;
using StartFrame.LocalDev.FunctionHost;
using StartFrame.LocalDev.InProcess;

namespace StartFrame.LocalDev.Dev;

/// <summary>
/// <c>startframe dev</c>: Azurite (from the repo's npm lock) and the ModelStream simulator, then the function app — under
/// <c>func start</c> with Event Grid played for its blob webhook, or in process — until the caller cancels (Ctrl-C); then
/// everything it started is stopped, in reverse order, by process id.
/// </summary>
public static class DevSession
{
    /// <summary>How many events are delivered at once in func mode (Event Grid delivers in parallel too).</summary>
    private const int ParallelDeliveries = 8;

    /// <summary>Runs the session until <paramref name="cancellationToken"/> is cancelled, then stops all it started.</summary>
    /// <exception cref="DevRejectedException">What was asked cannot be done here (<c>--mode func</c> without <c>func</c>).</exception>
    /// <exception cref="InvalidOperationException">Something did not start, or stopped on its own; the message says what.</exception>
    public static async Task RunAsync(DevOptions options, IDevReporter reporter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(reporter);
        var started = Stopwatch.StartNew();
        var layout = options.Layout ?? RepoLayout.Find();
        var hostJson = HostJson.Read(layout.HostJson);
        var func = FunctionHost.FunctionHostProcess.FindFunc();
        var mode = options.Mode ?? (func is null ? DevMode.InProcess : DevMode.Func);
        if (mode == DevMode.Func && func is null)
        {
            throw new DevRejectedException(
                "--mode func needs Azure Functions Core Tools (`func`) on PATH (npm i -g azure-functions-core-tools@4); without it run `startframe dev --mode in-process`.");
        }

        var ports = options.WellKnownPorts ? DevPorts.WellKnown : DevPorts.Free();
        if (options.WellKnownPorts)
        {
            ports.EnsureFree();
        }

        reporter.Stage(mode == DevMode.Func
            ? "Mode: func — the real function app under `func start`, with Event Grid played for its blob webhook."
            : func is null
                ? "Mode: in-process — Azure Functions Core Tools (`func`) is not on PATH, so the function app's core runs in this process with the host's trigger settings."
                : "Mode: in-process (asked for) — the function app's core runs in this process with the host's trigger settings.");

        reporter.Stage($"Starting Azurite from the repo's npm lock (in memory; ports {ports.Azurite.Blob}, {ports.Azurite.Queue}, {ports.Azurite.Table})...");
        await using var azurite = await AzuriteServer.StartAsync(layout, ports.Azurite, reporter.Detail, cancellationToken).ConfigureAwait(false);
        reporter.Stage($"Starting the ModelStream simulator on port {ports.Simulator}...");
        await using var simulator = await SimulatorProcess.StartAsync(layout, ports.Simulator, reporter.Detail, null, cancellationToken).ConfigureAwait(false);

        // The same value goes to the host here and to the other terminal, so what is printed is what was proven to work.
        var storage = ports.Azurite.AreWellKnown ? "UseDevelopmentStorage=true" : azurite.ConnectionString;
        var settings = new Dictionary<string, string?>
        {
            [StartFrameOptions.StorageConnectionName] = storage,
            ["ModelStream:BaseUrl"] = simulator.BaseAddress.ToString(),
            ["ModelStream:ApiKey"] = DevEnvironment.LocalApiKey,
            [DevEnvironment.AllowLoopbackResultUrlsKey] = "true", // the simulator serves its videos from http://127.0.0.1
        };
        var running = new List<(string Name, Task Exited)>
        {
            ("Azurite", azurite.WaitForExitAsync(CancellationToken.None)),
            ("The ModelStream simulator", simulator.WaitForExitAsync(CancellationToken.None)),
        };

        if (options.Trace && mode == DevMode.Func)
        {
            reporter.Stage("--trace: the function app runs under func, in another process, so no timeline is printed here; its spans go " +
                "where OTEL_EXPORTER_OTLP_ENDPOINT points (a local collector or the Aspire dashboard). `--mode in-process` prints them.");
        }

        // The core's spans in this process, one timeline per video as it ends.
        using var timelines = options.Trace && mode == DevMode.InProcess ? new TraceTimelines(reporter.Trace) : null;
        if (mode == DevMode.Func)
        {
            await RunFunctionAppAsync(func!, layout, ports, settings, azurite, running, reporter, started, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await RunInProcessAsync(hostJson, ports, settings, options.Logs, running, reporter, started, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task RunInProcessAsync(
        HostJson hostJson,
        DevPorts ports,
        Dictionary<string, string?> settings,
        bool logs,
        List<(string Name, Task Exited)> running,
        IDevReporter reporter,
        Stopwatch started,
        CancellationToken cancellationToken)
    {
        reporter.Stage($"Starting the function app's core in process: the HTTP API on port {ports.Api}, {StartFrameOptions.UploadsContainer} watched every " +
            $"{BlobChangeWatcher.DefaultInterval.TotalSeconds:0} s (Azurite has no change feed), {StartFrameOptions.SubmissionsQueue} pumped as host.json says...");
        await using var host = await InProcessFunctionHost.StartAsync(
            new InProcessHostOptions { Settings = settings, Host = hostJson, ApiPort = ports.Api, Report = reporter.Activity, Logs = logs },
            cancellationToken).ConfigureAwait(false);
        running.Add(("The in-process host", host.Stopping));

        reporter.Ready(EnvironmentFor(DevMode.InProcess, settings, host.ApiBaseAddress, ports), started.Elapsed);
        await RunUntilStoppedAsync(running, reporter, cancellationToken).ConfigureAwait(false);
    }

    private static async Task RunFunctionAppAsync(
        string func,
        RepoLayout layout,
        DevPorts ports,
        Dictionary<string, string?> settings,
        AzuriteServer azurite,
        List<(string Name, Task Exited)> running,
        IDevReporter reporter,
        Stopwatch started,
        CancellationToken cancellationToken)
    {
        reporter.Stage($"Starting the function app: func start --port {ports.Api} (in {layout.FunctionsProject})...");

        // func's own lines are shown once it runs; before that the heartbeat speaks and a failure shows its last lines.
        var forward = 0;
        await using var host = await FunctionHostProcess.StartAsync(
            func, layout, ports.Api, settings,
            line => { if (Volatile.Read(ref forward) == 1) { reporter.Detail("func | " + line); } },
            reporter.Detail,
            cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref forward, 1);
        running.Add(("The function host (func)", host.WaitForExitAsync(CancellationToken.None)));

        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan }; // each attempt has its own timeout
        var webhook = new LocalBlobWebhook(http, host.BaseAddress);
        var delivery = new EventGridDelivery(webhook, log: reporter.Detail);
        var uploads = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(StartFrameOptions.UploadsContainer);
        reporter.Stage($"Event Grid: subscription handshake with {webhook.Endpoint}...");
        await delivery.ValidateSubscriptionAsync(BlobCreatedEventBuilder.TopicOf(uploads.AccountName), cancellationToken).ConfigureAwait(false);

        reporter.Stage($"Event Grid: watching {StartFrameOptions.UploadsContainer} every {BlobChangeWatcher.DefaultInterval.TotalSeconds:0} s " +
            "(Azurite has no change feed) and delivering each new or changed blob as Microsoft.Storage.BlobCreated...");
        using var stopWatching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watching = new BlobChangeWatcher(uploads, new SeenBlobs()).RunAsync(
            async (change, token) =>
            {
                var result = await delivery.DeliverAsync(BlobCreatedEventBuilder.Build(change.Blob, change.CommittedAt), token).ConfigureAwait(false);
                reporter.Activity(new DevActivity(
                    "event", change.Blob.BlobName, result.Delivered ? "delivered" : "not delivered", $"{result.LastOutcome}, attempt {result.Attempts}, event {result.EventId}"));
            },
            ParallelDeliveries,
            stopWatching.Token);
        running.Add(("The Event Grid watcher", watching));

        reporter.Ready(EnvironmentFor(DevMode.Func, settings, new Uri(host.BaseAddress, "api/"), ports), started.Elapsed);
        try
        {
            await RunUntilStoppedAsync(running, reporter, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await stopWatching.CancelAsync().ConfigureAwait(false);
            await Task.WhenAny(watching).ConfigureAwait(false); // its failure, if any, was reported above
        }
    }

    private static DevEnvironment EnvironmentFor(DevMode mode, Dictionary<string, string?> settings, Uri apiBase, DevPorts ports) => new(
        mode,
        settings[StartFrameOptions.StorageConnectionName]!,
        new Uri(settings["ModelStream:BaseUrl"]!),
        apiBase.ToString().TrimEnd('/'),
        ports);

    // Waits for Ctrl-C; anything stopping on its own first ends the session as a failure (the rest is stopped by the caller's disposals).
    private static async Task RunUntilStoppedAsync(List<(string Name, Task Exited)> running, IDevReporter reporter, CancellationToken cancellationToken)
    {
        var cancelled = Task.Delay(Timeout.Infinite, cancellationToken);
        var first = await Task.WhenAny(running.Select(r => r.Exited).Append(cancelled)).ConfigureAwait(false);
        if (first == cancelled)
        {
            reporter.Stage("Stopping everything this session started...");
            return;
        }

        var name = running.First(r => r.Exited == first).Name;
        var why = first.Exception?.InnerException?.Message;
        throw new InvalidOperationException(why is null ? $"{name} stopped on its own; stopping the rest." : $"{name} failed: {why}; stopping the rest.");
    }
}
