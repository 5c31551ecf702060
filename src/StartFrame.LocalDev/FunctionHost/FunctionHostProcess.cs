using System.Globalization;
using StartFrame.LocalDev.Progress;

namespace StartFrame.LocalDev.FunctionHost;

/// <summary>
/// The real function app under Azure Functions Core Tools: <c>func start --port N</c> in <c>src/StartFrame.Functions</c>
/// with the given settings in its environment (they win over a <c>local.settings.json</c>), ready once the host's admin
/// status says <c>Running</c> (its functions are indexed). Stopped, with its worker, by process id.
/// </summary>
public sealed class FunctionHostProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly List<string> _tail;

    private FunctionHostProcess(ChildProcess process, Uri baseAddress, List<string> tail)
    {
        _process = process;
        BaseAddress = baseAddress;
        _tail = tail;
    }

    /// <summary>Where the host listens, e.g. <c>http://localhost:7071/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The full path of <c>func</c> on PATH, or null when Core Tools is not installed.</summary>
    public static string? FindFunc() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, OperatingSystem.IsWindows() ? "func.cmd" : "func"))
            .FirstOrDefault(File.Exists);

    /// <summary>Starts <c>func start</c> and waits until the host runs its functions.</summary>
    /// <param name="func">The <c>func</c> executable (<see cref="FindFunc"/>).</param>
    /// <param name="layout">The repo holding the function app.</param>
    /// <param name="port">The HTTP port of the host.</param>
    /// <param name="settings">App settings as configuration keys (<c>AzureWebJobsStorage</c>, <c>ModelStream:BaseUrl</c>, ...); they reach
    /// the host as environment variables (<c>ModelStream__BaseUrl</c>); a null value is left out.</param>
    /// <param name="onOutput">Every line <c>func</c> prints.</param>
    /// <param name="log">What is happening while it builds and starts (the first run builds the app).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="InvalidOperationException">The host exited or did not run within 5 minutes; the message ends with its last lines.</exception>
    public static async Task<FunctionHostProcess> StartAsync(
        string func,
        RepoLayout layout,
        int port,
        IReadOnlyDictionary<string, string?> settings,
        Action<string> onOutput,
        Action<string> log,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(onOutput);
        var environment = settings.Where(s => s.Value is not null).ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value!);
        environment["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated";
        var tail = new List<string>();
        var process = ChildProcess.Start(
            func,
            ["start", "--port", port.ToString(CultureInfo.InvariantCulture)],
            layout.FunctionsProject,
            line =>
            {
                lock (tail)
                {
                    tail.Add(line);
                    if (tail.Count > 200)
                    {
                        tail.RemoveAt(0);
                    }
                }

                onOutput(line);
            },
            environment);
        var host = new FunctionHostProcess(process, new Uri(string.Create(CultureInfo.InvariantCulture, $"http://localhost:{port}/")), tail);
        try
        {
            await using var beat = Heartbeat.Start($"func start --port {port}: building the function app (a minute on the first run) and starting its host", log);
            await host.WaitUntilRunningAsync(cancellationToken).ConfigureAwait(false);
            beat.Done();
            return host;
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
        {
            await host.DisposeAsync().ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw new InvalidOperationException($"The function host did not start ({ex.Message}). Its last lines:{Environment.NewLine}{host.OutputTail(30)}", ex);
        }
    }

    /// <summary>The last <paramref name="lines"/> lines <c>func</c> printed.</summary>
    public string OutputTail(int lines)
    {
        lock (_tail)
        {
            return string.Join(Environment.NewLine, _tail.TakeLast(lines));
        }
    }

    /// <summary>Completes when <c>func</c> exits, with its exit code.</summary>
    public Task<int> WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private async Task WaitUntilRunningAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromMinutes(5));

        // The host builds the project first; its admin status endpoint answers "Running" once the functions are indexed.
        // It offers no other readiness signal, so it is asked every half second.
        try
        {
            while (!_process.HasExited)
            {
                try
                {
                    using var response = await http.GetAsync(new Uri(BaseAddress, "admin/host/status"), deadline.Token).ConfigureAwait(false);
                    var body = await response.Content.ReadAsStringAsync(deadline.Token).ConfigureAwait(false);
                    if (response.IsSuccessStatusCode && body.Contains("\"Running\"", StringComparison.Ordinal))
                    {
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                    // not listening yet
                }
                catch (TaskCanceledException) when (!deadline.IsCancellationRequested)
                {
                    // a slow answer while it starts
                }

                await Task.Delay(TimeSpan.FromMilliseconds(500), deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new InvalidOperationException("its status was not Running after 5 minutes");
        }

        throw new InvalidOperationException("func exited");
    }
}
