using System.Globalization;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using StartFrame.Core;
using StartFrame.LocalDev;
using StartFrame.LocalDev.EventGrid;

namespace StartFrame.Cli.Commands;

/// <summary>
/// The demo's path through the real function app, when Azure Functions Core Tools (<c>func</c>) is installed:
/// <c>func start</c> against Azurite and the simulator, then a synthetic BlobCreated event posted to the blob
/// extension's webhook — Azurite emits no Event Grid events, so this is how the trigger fires locally, exactly
/// as Event Grid would fire it in Azure.
/// </summary>
internal static class FunctionHostRun
{
    /// <summary>Null when <c>func</c> is not on PATH (the caller falls back to the core); else the exit code.</summary>
    public static async Task<int?> TryRunAsync(
        RepoLayout layout,
        AzuriteServer azurite,
        SimulatorProcess simulator,
        IReadOnlyDictionary<string, string?> settings,
        string blobAddress,
        Action<string> step,
        CancellationToken cancellationToken)
    {
        var func = FindOnPath(OperatingSystem.IsWindows() ? "func.cmd" : "func");
        if (func is null)
        {
            return null;
        }

        var port = FreePorts.Allocate(1)[0];
        var environment = settings.Where(s => s.Value is not null).ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value!);
        environment["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated";
        step($"Starting the function app: func start --port {port} (in {layout.FunctionsProject})...");
        var output = new List<string>();
        await using var host = ChildProcess.Start(func, ["start", "--port", port.ToString(CultureInfo.InvariantCulture)], layout.FunctionsProject, line => { lock (output) { output.Add(line); } }, environment);
        var functionsHost = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://localhost:{port}"));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        if (!await WaitForHostAsync(http, functionsHost, host, cancellationToken).ConfigureAwait(false))
        {
            lock (output)
            {
                step("The function host did not start:" + Environment.NewLine + string.Join(Environment.NewLine, output.TakeLast(30)));
            }

            return ExitCodes.Failure;
        }

        var slash = blobAddress.IndexOf('/', StringComparison.Ordinal);
        var blob = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(blobAddress[..slash]).GetBlobClient(blobAddress[(slash + 1)..]);
        var properties = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        var source = new BlobCreatedSource(blob.AccountName, blob.BlobContainerName, blob.Name, blob.Uri, properties.ETag.ToString(), properties.ContentType, properties.ContentLength);
        var webhook = new LocalBlobWebhook(http, functionsHost);
        step($"Posting a synthetic Microsoft.Storage.BlobCreated event to {webhook.Endpoint}");
        await webhook.DeliverAsync(BlobCreatedEventBuilder.Build(source, properties.LastModified), cancellationToken).ConfigureAwait(false);

        // The task record comes first; the completion record once VideoTrackingDue has polled the task to its end and
        // copied the video, so the host runs until then.
        step($"Waiting for the functions to submit the task and follow it to its completion record (simulator: {simulator.BaseAddress})...");
        var queue = new QueueClient(azurite.ConnectionString, StartFrameOptions.CompletionsQueue, StartFrame.Core.Storage.QueueMessages.ClientOptions());
        for (var attempt = 0; attempt < 120; attempt++)
        {
            if ((await queue.PeekMessagesAsync(1, cancellationToken).ConfigureAwait(false)).Value.Length > 0)
            {
                return ExitCodes.Ok;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
        }

        lock (output)
        {
            step("No completion record after 60 s. Function host output:" + Environment.NewLine + string.Join(Environment.NewLine, output.TakeLast(30)));
        }

        return ExitCodes.Failure;
    }

    private static async Task<bool> WaitForHostAsync(HttpClient http, Uri functionsHost, ChildProcess host, CancellationToken cancellationToken)
    {
        // The host builds the project first; its admin status endpoint answers once the functions are indexed.
        for (var attempt = 0; attempt < 360 && !host.HasExited; attempt++)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(functionsHost, "/admin/host/status"), cancellationToken).ConfigureAwait(false);
                var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode && body.Contains("\"Running\"", StringComparison.Ordinal))
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // a slow answer while it starts
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
        }

        return false;
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
