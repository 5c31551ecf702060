using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using StartFrame.Core.Storage;
using StartFrame.Core.WaysIn;
using StartFrame.IntegrationTests.Infrastructure;
using StartFrame.LocalDev.EventGrid;
using StartFrame.LocalDev.InProcess;

namespace StartFrame.IntegrationTests.LocalDev;

/// <summary>The in-process blob trigger retries a failing blob like the host, then reports it where the host does.</summary>
[Collection(StorageCollection.Name)]
public sealed class InProcessBlobTriggerTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Blob_whose_run_keeps_failing_is_run_poisonBlobThreshold_times_then_put_on_the_poison_queue()
    {
        var processor = new AlwaysFailing();
        await using var services = new ServiceCollection().AddSingleton<IBlobUploads>(processor).BuildServiceProvider();
        var uploads = new BlobServiceClient(azurite.Server.ConnectionString).GetBlobContainerClient("start-frames");
        var poison = new QueueClient(azurite.Server.ConnectionString, BlobTriggerPoisonMessage.PoisonQueue, QueueMessages.ClientOptions());
        await poison.DeleteIfExistsAsync();
        var activity = new ActivityLog();
        var change = new BlobChange(
            new BlobCreatedSource("devstoreaccount1", "start-frames", "a/cat.png", uploads.GetBlobClient("a/cat.png").Uri, "\"0x8DC1\"", "image/png", 10),
            DateTimeOffset.UtcNow);

        await new InProcessBlobTrigger(services, uploads, poison, new BlobTriggerSettings(8, PoisonBlobThreshold: 3, TimeSpan.Zero), activity.Add)
            .RunAsync(change, CancellationToken.None);

        Assert.Equal(3, processor.Runs);
        Assert.Equal(["retrying", "retrying", "poisoned"], activity.Seen.Select(a => a.Status));
        var message = JsonNode.Parse(Assert.Single((await poison.PeekMessagesAsync(32)).Value).Body.ToString())!;
        Assert.Equal("Host.Functions.StartFrameUploaded", message["FunctionId"]!.GetValue<string>());
        Assert.Equal(("start-frames", "a/cat.png", "\"0x8DC1\""), (message["ContainerName"]!.GetValue<string>(), message["BlobName"]!.GetValue<string>(), message["ETag"]!.GetValue<string>()));
    }

    /// <summary>A processor whose every run fails the way a storage outage does (the real one turns ModelStream's own
    /// transient failures into a failure record after MaxSubmitAttempts, so only storage can fail it this often).</summary>
    private sealed class AlwaysFailing : IBlobUploads
    {
        private int _runs;

        public int Runs => _runs;

        public Task<ProcessingOutcome> ProcessBlobAsync(BlobClient blob, string? correlationId, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _runs);
            throw new InvalidOperationException("storage is down");
        }
    }
}
