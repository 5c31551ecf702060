using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using StartFrame.Core;
using StartFrame.LocalDev;
using StartFrame.LocalDev.EventGrid;
using StartFrame.LocalDev.FunctionHost;
using StartFrame.LocalDev.Progress;

namespace StartFrame.Cli.Commands.Local;

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
        var func = FunctionHostProcess.FindFunc();
        if (func is null)
        {
            return null;
        }

        var port = FreePorts.Allocate(1)[0];
        step($"Starting the function app: func start --port {port} (in {layout.FunctionsProject})...");
        var output = new List<string>();
        FunctionHostProcess host;
        try
        {
            host = await FunctionHostProcess.StartAsync(func, layout, port, settings, line => { lock (output) { output.Add(line); } }, step, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException ex)
        {
            step(ex.Message);
            return ExitCodes.Failure;
        }

        await using var _ = host;
        var functionsHost = host.BaseAddress;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };

        var slash = blobAddress.IndexOf('/', StringComparison.Ordinal);
        var blob = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(blobAddress[..slash]).GetBlobClient(blobAddress[(slash + 1)..]);
        var properties = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        var source = new BlobCreatedSource(blob.AccountName, blob.BlobContainerName, blob.Name, blob.Uri, properties.ETag.ToString(), properties.ContentType, properties.ContentLength);
        var webhook = new LocalBlobWebhook(http, functionsHost);
        step($"Posting a synthetic Microsoft.Storage.BlobCreated event to {webhook.Endpoint}");
        await webhook.DeliverAsync(BlobCreatedEventBuilder.Build(source, properties.LastModified), cancellationToken).ConfigureAwait(false);

        // The task record comes first; the completion record once VideoTrackingDue has polled the task to its end and
        // copied the video, so the host runs until then.
        var queue = new QueueClient(azurite.ConnectionString, StartFrameOptions.CompletionsQueue, StartFrame.Core.Storage.QueueMessages.ClientOptions());
        await using var beat = Heartbeat.Start(
            $"Waiting for the functions to submit the task and follow it to its completion record (simulator: {simulator.BaseAddress})", step);
        for (var attempt = 0; attempt < 120; attempt++)
        {
            if ((await queue.PeekMessagesAsync(1, cancellationToken).ConfigureAwait(false)).Value.Length > 0)
            {
                beat.Done();
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
}
