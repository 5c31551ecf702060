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
using StartFrame.Core.Storage;
using StartFrame.Core.Tracking;
using StartFrame.Core.Uploads;
using StartFrame.Core.WaysIn;
using StartFrame.LocalDev;

namespace StartFrame.IntegrationTests.Infrastructure;

/// <summary>
/// The real core, wired as the function app wires it (AddStartFrame), against real Azurite and the in-process
/// simulator. Each harness starts from empty storage. Retry delays are shrunk so fault tests stay fast. Given a fake
/// clock, the core and the simulator share it and <see cref="Tracking"/> drives the tracking queue on it.
/// </summary>
public sealed class PipelineHarness : IAsyncDisposable
{
    public const string ApiKey = "sk-test-harness";

    private readonly ServiceProvider _services;

    private PipelineHarness(AzuriteServer azurite, ModelStreamSimulator simulator, ServiceProvider services, StorageFaults faults, CapturedLogs logs, FakeClockTracking? tracking)
    {
        _tracking = tracking;
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
        TrackingQueue = new QueueClient(azurite.ConnectionString, StartFrameOptions.TrackingQueue, queueOptions);
        Completions = new QueueClient(azurite.ConnectionString, StartFrameOptions.CompletionsQueue, queueOptions);
        Videos = new BlobContainerClient(azurite.ConnectionString, StartFrameOptions.VideosContainer);
        Ledger = new TableClient(azurite.ConnectionString, StartFrameOptions.LedgerTable);
    }

    private readonly FakeClockTracking? _tracking;

    public AzuriteServer Azurite { get; }

    public ModelStreamSimulator Simulator { get; }

    public StorageFaults StorageFaults { get; }

    public CapturedLogs Logs { get; }

    public BlobServiceClient Blobs { get; }

    public BlobContainerClient Uploads { get; }

    public QueueClient Tasks { get; }

    public QueueClient Failures { get; }

    public QueueClient Submissions { get; }

    public QueueClient TrackingQueue { get; }

    public QueueClient Completions { get; }

    /// <summary>The videos container through an uncounted client.</summary>
    public BlobContainerClient Videos { get; }

    /// <summary>Delivers tracking messages on the fake clock (only for a harness started with one).</summary>
    public FakeClockTracking Tracking => _tracking ?? throw new InvalidOperationException("Start the harness with a fake clock to drive tracking.");

    public IVideoTracker Tracker => _services.GetRequiredService<IVideoTracker>();

    public TableClient Ledger { get; }

    public IServiceProvider Services => _services;

    public IBlobUploads Processor => _services.GetRequiredService<IBlobUploads>();

    /// <summary>The settings handed to the core, for tests that start the CLI with the same ones.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; private init; } = new Dictionary<string, string?>();

    /// <summary>Starts the core on Azurite and a simulator. With <paramref name="clock"/> (a fake one) the core and the simulator
    /// share it, and tracking messages are delivered by <see cref="Tracking"/> at their due time on that clock.</summary>
    public static async Task<PipelineHarness> StartAsync(
        AzuriteServer azurite,
        IReadOnlyDictionary<string, string?>? overrides = null,
        SimulatorOptions? simulatorOptions = null,
        Microsoft.Extensions.Time.Testing.FakeTimeProvider? clock = null,
        bool realRecheckDelays = false)
    {
        var simulator = await ModelStreamSimulator.StartAsync((simulatorOptions ?? new SimulatorOptions()) with { TimeProvider = (TimeProvider?)clock ?? TimeProvider.System });
        var settings = new Dictionary<string, string?>
        {
            [StartFrameOptions.StorageConnectionName] = azurite.ConnectionString,
            ["ModelStream:BaseUrl"] = simulator.BaseAddress.ToString(),
            ["ModelStream:ApiKey"] = ApiKey,
            ["ModelStream:RetryBaseDelay"] = "00:00:00.010",
            ["ModelStream:MaxRetryDelay"] = "00:00:02",
            ["ModelStream:AttemptTimeout"] = "00:00:02",
            ["StartFrame:AllowLoopbackResultUrls"] = "true", // the simulator serves its videos from http://127.0.0.1
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var faults = new StorageFaults();
        var logs = new CapturedLogs();
        var provider = BuildCore(settings, clock, faults, logs, realRecheckDelays);

        var tracking = clock is null ? null : new FakeClockTracking(
            new QueueClient(azurite.ConnectionString, StartFrameOptions.TrackingQueue, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }),
            provider.GetRequiredService<IVideoTracker>,
            clock);
        var harness = new PipelineHarness(azurite, simulator, provider, faults, logs, tracking) { Settings = settings, RealRecheckDelays = realRecheckDelays };
        await harness.ResetStorageAsync();
        await provider.GetRequiredService<StorageProvisioner>().EnsureCreatedAsync(CancellationToken.None);
        faults.ClearLog();
        return harness;
    }

    /// <summary>
    /// A second core on the same storage, simulator and clock, with the same settings:
    /// another function instance, as a scaled-out app runs them. Nothing in memory is shared with the first.
    /// </summary>
    public ServiceProvider StartAnotherInstance(Microsoft.Extensions.Time.Testing.FakeTimeProvider? clock = null) =>
        BuildCore(Settings, clock, new StorageFaults(), new CapturedLogs(), RealRecheckDelays);

    /// <summary>Whether re-check messages keep their real visibility delay in Azurite (a fake clock's harness shows them at once otherwise).</summary>
    public bool RealRecheckDelays { get; private init; }

    private static ServiceProvider BuildCore(IReadOnlyDictionary<string, string?> settings, Microsoft.Extensions.Time.Testing.FakeTimeProvider? clock, StorageFaults faults, CapturedLogs logs, bool realRecheckDelays)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        services.AddSingleton<IConfiguration>(configuration);
        if (clock is not null)
        {
            services.AddSingleton<TimeProvider>(clock);
        }

        services.AddStartFrame(configuration);
        var visibility = clock is null ? null : new DueNowPolicy(rechecksToo: !realRecheckDelays);
        services.AddAzureClients(clients => clients.ConfigureDefaults(options =>
        {
            if (visibility is not null)
            {
                options.AddPolicy(visibility, HttpPipelinePosition.PerCall);
            }

            options.AddPolicy(faults, HttpPipelinePosition.PerRetry);
            options.Retry.MaxRetries = 1;
            options.Retry.Delay = TimeSpan.FromMilliseconds(5);
        }));
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>Uploads a sidecar (JSON text) under <paramref name="name"/> in the uploads container.</summary>
    public async Task<BlobClient> UploadSidecarAsync(string name, string json)
    {
        var blob = Uploads.GetBlobClient(name);
        await blob.UploadAsync(BinaryData.FromString(json), overwrite: true);
        return blob;
    }

    /// <summary>The setting that lets the core take an <c>http://</c> image URL, as Azurite's SAS URLs are.</summary>
    public static IReadOnlyDictionary<string, string?> HttpImageUrls { get; } = new Dictionary<string, string?> { ["StartFrame:AllowHttpImageUrls"] = "true" };

    /// <summary>
    /// A start frame hosted elsewhere, as a caller submitting <c>imageUrl</c> gives it: a PNG in a container of its own
    /// on Azurite, behind a read SAS, which the simulator fetches as ModelStream fetches the URL it is given. The core
    /// takes it only with <see cref="HttpImageUrls"/> (Azurite speaks http).
    /// </summary>
    public async Task<Uri> ImageUrlAsync(string name)
    {
        var container = new BlobContainerClient(Azurite.ConnectionString, "external-frames");
        await container.CreateIfNotExistsAsync();
        var blob = container.GetBlobClient(name);
        await blob.UploadAsync(BinaryData.FromBytes(TestImages.Png(64, 36)), overwrite: true);
        return blob.GenerateSasUri(Azure.Storage.Sas.BlobSasPermissions.Read, DateTimeOffset.UtcNow.AddHours(1));
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

    /// <summary>Every completion record on <c>video-completions</c>, without removing them.</summary>
    public Task<IReadOnlyList<JsonObject>> CompletionRecordsAsync() => PeekAllAsync(Completions);

    /// <summary>Every blob in the videos container.</summary>
    public async Task<IReadOnlyList<Azure.Storage.Blobs.Models.BlobItem>> VideoBlobsAsync()
    {
        var blobs = new List<Azure.Storage.Blobs.Models.BlobItem>();
        await foreach (var item in Videos.GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Traits = Azure.Storage.Blobs.Models.BlobTraits.Metadata }))
        {
            blobs.Add(item);
        }

        return blobs;
    }

    /// <summary>Uploads a valid pair under <paramref name="stem"/> and submits it; returns the task id.</summary>
    public async Task<string> SubmitPairAsync(string stem, string sidecar = Sidecars.Valid)
    {
        await UploadSidecarAsync(stem + ".json", sidecar);
        var image = await UploadImageAsync(stem + ".png", TestImages.Png(640, 360));
        var outcome = await Processor.ProcessBlobAsync(image, null, CancellationToken.None);
        return outcome.TaskId ?? throw new InvalidOperationException($"Not submitted: {outcome.Status} {outcome.Detail}");
    }

    private async Task ResetStorageAsync()
    {
        await Uploads.DeleteIfExistsAsync();
        await Blobs.GetBlobContainerClient(StartFrameOptions.RecordsContainer).DeleteIfExistsAsync();
        await Videos.DeleteIfExistsAsync();
        await new QueueClient(Azurite.ConnectionString, StartFrameOptions.RechecksQueue).DeleteIfExistsAsync();
        foreach (var queue in new[] { Tasks, Failures, Submissions, TrackingQueue, Completions, new QueueClient(Azurite.ConnectionString, StartFrameOptions.TrackingQueue + "-poison") })
        {
            await queue.DeleteIfExistsAsync();
        }

        await Ledger.DeleteAsync();
        await new TableClient(Azurite.ConnectionString, StartFrameOptions.OwedRecordsTable).DeleteAsync();
        await new TableClient(Azurite.ConnectionString, StartFrameOptions.GenerationTimesTable).DeleteAsync();
        await new TableClient(Azurite.ConnectionString, StartFrameOptions.ProviderSlotsTable).DeleteAsync();
        await new QueueClient(Azurite.ConnectionString, StartFrameOptions.RechecksQueue + "-poison").DeleteIfExistsAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Simulator.DisposeAsync();
    }
}
