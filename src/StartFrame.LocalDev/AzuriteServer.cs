using System.Globalization;

namespace StartFrame.LocalDev;

/// <summary>
/// Azurite from the repo's own npm lock, on free loopback ports, in memory, stopped by its process id.
/// Real storage for the tests, the benchmark and <c>startframe demo</c>.
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    /// <summary>Azurite's well-known development account key (public; never a secret).</summary>
    public const string DevAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private const string DevAccount = "devstoreaccount1";

    private readonly ChildProcess _process;

    private AzuriteServer(ChildProcess process, int blobPort, int queuePort, int tablePort)
    {
        _process = process;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
    }

    /// <summary>Blob service port.</summary>
    public int BlobPort { get; }

    /// <summary>Queue service port.</summary>
    public int QueuePort { get; }

    /// <summary>Table service port.</summary>
    public int TablePort { get; }

    /// <summary>Azurite's process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>A connection string for all three services, as <c>AzureWebJobsStorage</c> takes it.</summary>
    public string ConnectionString => string.Create(
        CultureInfo.InvariantCulture,
        $"DefaultEndpointsProtocol=http;AccountName={DevAccount};AccountKey={DevAccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{DevAccount};" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/{DevAccount};" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/{DevAccount};");

    /// <summary>Installs Azurite from the lock if needed, starts it and waits until all three services listen.</summary>
    /// <param name="layout">The repo, for the pinned npm project.</param>
    /// <param name="log">Receives install progress and, on failure, Azurite's output.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<AzuriteServer> StartAsync(RepoLayout layout, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(layout);
        log ??= _ => { };
        var folder = layout.AzuriteNpmProject;
        var entry = Path.Combine("node_modules", "azurite", "dist", "src", "azurite.js");
        await NpmProject.EnsureInstalledAsync(folder, entry, log, cancellationToken).ConfigureAwait(false);

        var ports = FreePorts.Allocate(3);
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new List<string>();
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
            "--blobHost", "127.0.0.1", "--blobPort", ports[0].ToString(CultureInfo.InvariantCulture),
            "--queueHost", "127.0.0.1", "--queuePort", ports[1].ToString(CultureInfo.InvariantCulture),
            "--tableHost", "127.0.0.1", "--tablePort", ports[2].ToString(CultureInfo.InvariantCulture),
        ];

        // Azurite prints one "successfully listening" line per service: readiness from its own words, no polling.
        var process = ChildProcess.Start(node, arguments, folder, line =>
        {
            lock (output)
            {
                output.Add(line);
            }

            if (line.Contains("successfully listening", StringComparison.OrdinalIgnoreCase) && Interlocked.Increment(ref services) == 3)
            {
                listening.TrySetResult();
            }
        });

        var server = new AzuriteServer(process, ports[0], ports[1], ports[2]);
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
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
        {
            await server.DisposeAsync().ConfigureAwait(false);
            string tail;
            lock (output)
            {
                tail = string.Join(Environment.NewLine, output.TakeLast(20));
            }

            log(tail);
            throw new InvalidOperationException($"Azurite did not start on ports {string.Join(", ", ports)}: {ex.Message}{Environment.NewLine}{tail}", ex);
        }

        return server;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
