using System.Globalization;
using StartFrame.LocalDev.Progress;

namespace StartFrame.LocalDev;

/// <summary>
/// Azurite from the repo's own npm lock, on loopback ports (free ones unless told), in memory, stopped by its process id.
/// Real storage for the tests, the benchmark, <c>startframe demo</c> and <c>startframe dev</c>.
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    /// <summary>Azurite's well-known development account key (public; never a secret).</summary>
    public const string DevAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private const string DevAccount = "devstoreaccount1";

    // What is kept of Azurite's output for a failure report: its last lines, never a growing log.
    private const int KeptOutputLines = 20;

    private readonly ChildProcess _process;
    private readonly Queue<string> _output;

    private AzuriteServer(ChildProcess process, AzuritePorts ports, Queue<string> output)
    {
        _process = process;
        Ports = ports;
        _output = output;
    }

    /// <summary>The ports of the three services.</summary>
    public AzuritePorts Ports { get; }

    /// <summary>Blob service port.</summary>
    public int BlobPort => Ports.Blob;

    /// <summary>Queue service port.</summary>
    public int QueuePort => Ports.Queue;

    /// <summary>Table service port.</summary>
    public int TablePort => Ports.Table;

    /// <summary>Azurite's process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>The last lines Azurite printed (at most 20): its start-up lines, and whatever it said before a failure.</summary>
    public IReadOnlyList<string> RecentOutput
    {
        get
        {
            lock (_output)
            {
                return [.. _output];
            }
        }
    }

    /// <summary>A connection string for all three services, as <c>AzureWebJobsStorage</c> takes it.</summary>
    public string ConnectionString => string.Create(
        CultureInfo.InvariantCulture,
        $"DefaultEndpointsProtocol=http;AccountName={DevAccount};AccountKey={DevAccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{DevAccount};" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/{DevAccount};" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/{DevAccount};");

    /// <summary>Installs Azurite from the lock if needed, starts it on free ports and waits until all three services listen.</summary>
    /// <param name="layout">The repo, for the pinned npm project.</param>
    /// <param name="log">Receives install progress and, on failure, Azurite's output.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static Task<AzuriteServer> StartAsync(RepoLayout layout, Action<string>? log = null, CancellationToken cancellationToken = default)
        => StartAsync(layout, AzuritePorts.Free(), log, cancellationToken);

    /// <summary>Installs Azurite from the lock if needed, starts it on <paramref name="ports"/> and waits until all three services listen.</summary>
    /// <param name="layout">The repo, for the pinned npm project.</param>
    /// <param name="ports">Where to listen (<see cref="AzuritePorts.WellKnown"/> or <see cref="AzuritePorts.Free"/>).</param>
    /// <param name="log">Receives install progress and, on failure, Azurite's output.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<AzuriteServer> StartAsync(RepoLayout layout, AzuritePorts ports, Action<string>? log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(ports);
        log ??= _ => { };
        var folder = layout.AzuriteNpmProject;
        var entry = Path.Combine("node_modules", "azurite", "dist", "src", "azurite.js");
        await NpmProject.EnsureInstalledAsync(folder, entry, log, cancellationToken).ConfigureAwait(false);

        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new Queue<string>(KeptOutputLines);
        var services = 0;
        var node = OperatingSystem.IsWindows() ? "node.exe" : "node";
        string[] arguments =
        [
            entry,
            "--inMemoryPersistence",
            "--skipApiVersionCheck",
            "--loose",
            "--disableProductStyleUrl",
            "--disableTelemetry", // no usage data leaves dev or CI machines
            // No access log: a line per request costs Azurite's one JavaScript thread and this process CPU, and nobody
            // reads it (failures come back to the caller from the SDK with the request named).
            "--silent",
            "--blobHost", "127.0.0.1", "--blobPort", ports.Blob.ToString(CultureInfo.InvariantCulture),
            "--queueHost", "127.0.0.1", "--queuePort", ports.Queue.ToString(CultureInfo.InvariantCulture),
            "--tableHost", "127.0.0.1", "--tablePort", ports.Table.ToString(CultureInfo.InvariantCulture),
        ];

        // Azurite prints one "successfully listening" line per service: readiness from its own words, no polling.
        var process = ChildProcess.Start(node, arguments, folder, line =>
        {
            lock (output)
            {
                if (output.Count == KeptOutputLines)
                {
                    output.Dequeue();
                }

                output.Enqueue(line);
            }

            if (line.Contains("successfully listening", StringComparison.OrdinalIgnoreCase) && Interlocked.Increment(ref services) == 3)
            {
                listening.TrySetResult();
            }
        });

        var server = new AzuriteServer(process, ports, output);
        await using var beat = Heartbeat.Start($"Azurite: starting its blob, queue and table services (node {entry})", log);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var exited = process.WaitForExitAsync(timeout.Token);
        try
        {
            var first = await Task.WhenAny(listening.Task, exited).ConfigureAwait(false);
            if (first != listening.Task)
            {
                await first.ConfigureAwait(false);
                throw new InvalidOperationException("Azurite exited before it was ready.");
            }

            beat.Done();
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
        {
            await server.DisposeAsync().ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested)
            {
                throw; // the caller stopped (Ctrl-C): not a failure to report
            }

            string tail;
            lock (output)
            {
                tail = string.Join(Environment.NewLine, output);
            }

            log(tail);
            throw new InvalidOperationException($"Azurite did not start on ports {ports.Blob}, {ports.Queue}, {ports.Table}: {ex.Message}{Environment.NewLine}{tail}", ex);
        }

        return server;
    }

    /// <summary>Completes when the process exits (on its own, or stopped), with its exit code.</summary>
    public Task<int> WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
