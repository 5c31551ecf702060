using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using StartFrame.Core.WaysIn;
using StartFrame.LocalDev.Dev;
using StartFrame.LocalDev.EventGrid;

namespace StartFrame.LocalDev.InProcess;

/// <summary>
/// The blob trigger of <c>StartFrameUploaded</c>, played in process: each new or changed blob runs
/// <see cref="IBlobUploads.ProcessBlobAsync"/> (as the function does), and a run that throws is tried again after
/// <see cref="BlobTriggerSettings.RetryDelay"/>, up to <see cref="BlobTriggerSettings.PoisonBlobThreshold"/> runs, then
/// the blob is reported on <c>webjobs-blobtrigger-poison</c> the way the blob extension reports it.
/// </summary>
/// <param name="services">Resolves the processor for each run (a scope per run, as the host makes one per invocation).</param>
/// <param name="uploads">The uploads container the blobs are in.</param>
/// <param name="poison">The <c>webjobs-blobtrigger-poison</c> queue; created when first needed.</param>
/// <param name="settings">host.json's blob trigger settings.</param>
/// <param name="report">Told of each run's outcome.</param>
public sealed class InProcessBlobTrigger(
    IServiceProvider services, BlobContainerClient uploads, QueueClient poison, BlobTriggerSettings settings, Action<DevActivity>? report = null)
{
    /// <summary>How the host names the function in poison messages.</summary>
    public const string FunctionId = "Host.Functions.StartFrameUploaded";

    /// <summary>Runs the function for <paramref name="change"/> with the host's retries; returns when it succeeded or the blob was poisoned.</summary>
    public async Task RunAsync(BlobChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var blob = uploads.GetBlobClient(change.Blob.BlobName);
        for (var run = 1; ; run++)
        {
            try
            {
                await using var scope = services.CreateAsyncScope();
                var processor = scope.ServiceProvider.GetRequiredService<IBlobUploads>();
                var outcome = await processor.ProcessBlobAsync(blob, Guid.NewGuid().ToString("D"), cancellationToken).ConfigureAwait(false);
                report?.Invoke(new DevActivity("blob", outcome.Subject, outcome.Status, outcome.Detail, outcome.TaskId));
                return;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                if (run >= settings.PoisonBlobThreshold)
                {
                    await PoisonAsync(change).ConfigureAwait(false);
                    report?.Invoke(new DevActivity("blob", change.Blob.BlobName, "poisoned", $"failed {run} times, last: {ex.Message}; on {BlobTriggerPoisonMessage.PoisonQueue}"));
                    return;
                }

                report?.Invoke(new DevActivity("blob", change.Blob.BlobName, "retrying", $"run {run} of {settings.PoisonBlobThreshold} failed: {ex.Message}"));
                await Task.Delay(settings.RetryDelay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task PoisonAsync(BlobChange change)
    {
        var message = new BlobTriggerPoisonMessage("BlobTrigger", FunctionId, "BlockBlob", change.Blob.Container, change.Blob.BlobName, change.Blob.ETag);
        await poison.CreateIfNotExistsAsync().ConfigureAwait(false);
        await poison.SendMessageAsync(JsonSerializer.Serialize(message, InProcessJsonContext.Default.BlobTriggerPoisonMessage)).ConfigureAwait(false);
    }
}
