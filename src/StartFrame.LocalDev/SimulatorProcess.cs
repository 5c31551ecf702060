using System.Globalization;
using System.Reflection;
using StartFrame.LocalDev.Progress;

namespace StartFrame.LocalDev;

/// <summary>The ModelStream simulator as a separate process (<c>dotnet run --project src/ModelStream.Simulator</c>),
/// as the local run uses it; the tests host it in-process instead.</summary>
public sealed class SimulatorProcess : IAsyncDisposable
{
    /// <summary>The port <c>local.settings.sample.json</c> points <c>ModelStream__BaseUrl</c> at.</summary>
    public const int WellKnownPort = 5080;

    // The configuration this assembly was built in: the simulator runs in the same one, so a tree built once
    // (tests/run.sh builds Release) is not built again in another configuration.
    private static readonly string Configuration =
        typeof(SimulatorProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    private readonly ChildProcess _process;

    private SimulatorProcess(ChildProcess process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    /// <summary>Where the simulator listens.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Builds and starts the simulator on a free loopback port and waits until it answers.</summary>
    /// <param name="layout">The clone holding the simulator project.</param>
    /// <param name="log">Receives what is happening while it builds (a first build takes a while).</param>
    /// <param name="generationTime">How long each generation takes (<c>--generation-time</c>); null for the simulator's default.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static Task<SimulatorProcess> StartAsync(RepoLayout layout, Action<string>? log = null, TimeSpan? generationTime = null, CancellationToken cancellationToken = default)
        => StartAsync(layout, FreePorts.Allocate(1)[0], log, generationTime, cancellationToken);

    /// <summary>Builds and starts the simulator on <paramref name="port"/> and waits until it answers.</summary>
    /// <param name="layout">The repo holding the simulator's project.</param>
    /// <param name="port">The loopback port to listen on.</param>
    /// <param name="log">Receives what is happening while it builds (a first build takes a while).</param>
    /// <param name="generationTime">How long each generation takes (<c>--generation-time</c>); null for the simulator's default.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<SimulatorProcess> StartAsync(RepoLayout layout, int port, Action<string>? log, TimeSpan? generationTime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layout);
        log ??= _ => { };
        var url = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/"));
        var firstBuild = !Directory.Exists(Path.Combine(Path.GetDirectoryName(layout.SimulatorProject)!, "bin", Configuration));
        await using var beat = Heartbeat.Start(
            firstBuild
                ? "dotnet run --project src/ModelStream.Simulator: its first build (once, about 30 s), then the simulator"
                : "dotnet run --project src/ModelStream.Simulator: checking its build, then the simulator",
            log);
        var output = new List<string>();
        var process = ChildProcess.Start(
            "dotnet",
            ["run", "--project", layout.SimulatorProject, "-c", Configuration, "--", "--urls", url.ToString().TrimEnd('/'),
                .. generationTime is { } time ? new[] { "--generation-time", time.ToString("c", CultureInfo.InvariantCulture) } : []],
            layout.Root,
            line => { lock (output) { output.Add(line); } });
        var simulator = new SimulatorProcess(process, url);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromMinutes(3)); // the first run builds the project
        try
        {
            // The process gives no readiness signal we can rely on across log levels: ask it until it answers.
            while (true)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException("the simulator process exited");
                }

                try
                {
                    using var response = await http.GetAsync(new Uri(url, "_simulator/requests"), deadline.Token).ConfigureAwait(false);
                    if (response.IsSuccessStatusCode)
                    {
                        beat.Done();
                        return simulator;
                    }
                }
                catch (HttpRequestException)
                {
                    // not listening yet
                }
                catch (TaskCanceledException) when (!deadline.IsCancellationRequested)
                {
                    // one slow answer while it starts
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250), deadline.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
        {
            await simulator.DisposeAsync().ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested)
            {
                throw; // the caller stopped (Ctrl-C): not a failure to report
            }

            string tail;
            lock (output)
            {
                tail = string.Join(Environment.NewLine, output.TakeLast(20));
            }

            throw new InvalidOperationException($"The ModelStream simulator did not start on {url}: {ex.Message}{Environment.NewLine}{tail}", ex);
        }
    }

    /// <summary>Completes when the process exits (on its own, or stopped), with its exit code.</summary>
    public Task<int> WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
