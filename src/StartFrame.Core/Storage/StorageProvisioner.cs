using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Hosting;

namespace StartFrame.Core.Storage;

/// <summary>
/// Creates the containers, queues and tables if missing, once at startup rather than per message
/// (in Azure the Bicep creates them first; this keeps Azurite and fresh accounts working).
/// </summary>
public sealed class StorageProvisioner(BlobServiceClient blobs, QueueServiceClient queues, TableServiceClient tables) : IHostedService
{
    /// <summary>Queues the app writes to or reads from.</summary>
    public static IReadOnlyList<string> Queues { get; } =
        [StartFrameOptions.TasksQueue, StartFrameOptions.FailuresQueue, .. TriggerTable.QueueTriggers.Select(t => t.Source), StartFrameOptions.CompletionsQueue];

    /// <summary>Containers the app writes to or reads from.</summary>
    public static IReadOnlyList<string> Containers { get; } =
        [.. TriggerTable.All.Where(t => t.Kind == TriggerKind.Blob).Select(t => t.Source), StartFrameOptions.RecordsContainer, StartFrameOptions.VideosContainer];

    /// <summary>Creates whatever is missing.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        foreach (var container in Containers)
        {
            await blobs.GetBlobContainerClient(container).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        foreach (var queue in Queues)
        {
            await queues.GetQueueClient(queue).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        await tables.CreateTableIfNotExistsAsync(StartFrameOptions.LedgerTable, cancellationToken).ConfigureAwait(false);
        await tables.CreateTableIfNotExistsAsync(StartFrameOptions.OwedRecordsTable, cancellationToken).ConfigureAwait(false);
        await tables.CreateTableIfNotExistsAsync(StartFrameOptions.GenerationTimesTable, cancellationToken).ConfigureAwait(false);
        await tables.CreateTableIfNotExistsAsync(StartFrameOptions.ProviderSlotsTable, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => EnsureCreatedAsync(cancellationToken);

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
