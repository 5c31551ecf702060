using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelStream.Simulator;
using StartFrame.Core;
using StartFrame.Core.Ledger;
using StartFrame.Core.Pipeline;
using StartFrame.Core.Storage;
using StartFrame.LocalDev;

namespace StartFrame.IntegrationTests.Infrastructure;

/// <summary>
/// The real core, wired as the function app wires it (AddStartFrame), against real Azurite and the in-process
/// simulator. Each harness starts from empty storage. Retry delays are shrunk so fault tests stay fast.
/// </summary>
public sealed class PipelineHarness : IAsyncDisposable
{
    public const string ApiKey = "sk-test-harness";

    private readonly ServiceProvider _services;

    private PipelineHarness(AzuriteServer azurite, ModelStreamSimulator simulator, ServiceProvider services, StorageFaults faults, CapturedLogs logs)
    {
        Azurite = azurite;
        Simulator = simulator;
        _services = services;
        StorageFaults = faults;
        Logs = logs;
        // The core's own client (with the counting policy), as the trigger binds blobs from the same connection.
        Blobs = services.GetRequiredService<BlobServiceClient>();
        Uploads = Blobs.GetBlobContainerClient(StartFrameOptions.UploadsContainer);
        var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        Tasks = new QueueClient(azurite.ConnectionString, StartFrameOptions.TasksQueue, queueOptions);
        Failures = new QueueClient(azurite.ConnectionString, StartFrameOptions.FailuresQueue, queueOptions);
        Submissions = new QueueClient(azurite.ConnectionString, StartFrameOptions.SubmissionsQueue, queueOptions);
        Ledger = new TableClient(azurite.ConnectionString, StartFrameOptions.LedgerTable);
    }

    public AzuriteServer Azurite { get; }

    public ModelStreamSimulator Simulator { get; }

    public StorageFaults StorageFaults { get; }

    public CapturedLogs Logs { get; }

    public BlobServiceClient Blobs { get; }

    public BlobContainerClient Uploads { get; }

    public QueueClient Tasks { get; }

    public QueueClient Failures { get; }

    public QueueClient Submissions { get; }

    public TableClient Ledger { get; }

    public IServiceProvider Services => _services;

    public IStartFrameProcessor Processor => _services.GetRequiredService<IStartFrameProcessor>();

    /// <summary>The settings handed to the core, for tests that start the CLI with the same ones.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; private init; } = new Dictionary<string, string?>();

    public static async Task<PipelineHarness> StartAsync(AzuriteServer azurite, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var simulator = await ModelStreamSimulator.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            [StartFrameOptions.StorageConnectionName] = azurite.ConnectionString,
            ["ModelStream:BaseUrl"] = simulator.BaseAddress.ToString(),
            ["ModelStream:ApiKey"] = ApiKey,
            ["ModelStream:RetryBaseDelay"] = "00:00:00.010",
            ["ModelStream:MaxRetryDelay"] = "00:00:02",
            ["ModelStream:AttemptTimeout"] = "00:00:02",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var faults = new StorageFaults();
        var logs = new CapturedLogs();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        services.AddSingleton<IConfiguration>(configuration);
        services.AddStartFrame(configuration);
        services.AddAzureClients(clients => clients.ConfigureDefaults(options =>
        {
            options.AddPolicy(faults, HttpPipelinePosition.PerRetry);
            options.Retry.MaxRetries = 1;
            options.Retry.Delay = TimeSpan.FromMilliseconds(5);
        }));
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var harness = new PipelineHarness(azurite, simulator, provider, faults, logs) { Settings = settings };
        await harness.ResetStorageAsync();
        await provider.GetRequiredService<StorageProvisioner>().EnsureCreatedAsync(CancellationToken.None);
        faults.ClearLog();
        return harness;
    }

    /// <summary>Uploads a sidecar (JSON text) under <paramref name="name"/> in the uploads container.</summary>
    public async Task<BlobClient> UploadSidecarAsync(string name, string json)
    {
        var blob = Uploads.GetBlobClient(name);
        await blob.UploadAsync(BinaryData.FromString(json), overwrite: true);
        return blob;
    }

    /// <summary>Uploads image bytes under <paramref name="name"/> in the uploads container.</summary>
    public async Task<BlobClient> UploadImageAsync(string name, byte[] bytes)
    {
        var blob = Uploads.GetBlobClient(name);
        await blob.UploadAsync(BinaryData.FromBytes(bytes), overwrite: true);
        return blob;
    }

    /// <summary>Every message on a queue, without removing them.</summary>
    public static async Task<IReadOnlyList<JsonObject>> PeekAllAsync(QueueClient queue)
    {
        var messages = (await queue.PeekMessagesAsync(32)).Value;
        return messages.Select(m => JsonNode.Parse(m.Body.ToString())!.AsObject()).ToList();
    }

    /// <summary>The ledger key of an image blob with its sidecar as they are now (what the pipeline would claim).</summary>
    public async Task<LedgerKey> LedgerKeyOfAsync(BlobClient image)
    {
        var head = (await UploadReader.ReadImageHeadAsync(image, CancellationToken.None))!;
        var sidecar = await UploadReader.ReadSidecarAsync(Uploads.GetBlobClient(UploadNames.SidecarOf(image.Name)), CancellationToken.None);
        return UploadReader.KeyOf(image, head, sidecar);
    }

    /// <summary>The ledger entry of an image blob with its sidecar as they are now.</summary>
    public async Task<LedgerEntry?> LedgerEntryOfAsync(BlobClient image)
    {
        var key = await LedgerKeyOfAsync(image);
        var response = await Ledger.GetEntityIfExistsAsync<LedgerEntry>(key.PartitionKey, key.RowKey);
        return response.HasValue ? response.Value : null;
    }

    private async Task ResetStorageAsync()
    {
        await Uploads.DeleteIfExistsAsync();
        await Blobs.GetBlobContainerClient(StartFrameOptions.RecordsContainer).DeleteIfExistsAsync();
        await new QueueClient(Azurite.ConnectionString, StartFrameOptions.RechecksQueue).DeleteIfExistsAsync();
        foreach (var queue in new[] { Tasks, Failures, Submissions })
        {
            await queue.DeleteIfExistsAsync();
        }

        await Ledger.DeleteAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Simulator.DisposeAsync();
    }
}
