using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ModelStream.Simulator;
using StartFrame.Core;
using StartFrame.Core.Storage;
using StartFrame.Core.WaysIn;
using StartFrame.LocalDev;

namespace StartFrame.Benchmarks;

/// <summary>
/// Real Azurite (a node process, by its pid) and the in-process ModelStream simulator, with the real core wired as
/// the function app wires it (<c>AddStartFrame</c>) plus a <see cref="StorageRequestCounter"/> on each of its Azure
/// clients. Setup (uploads, copies) goes through separate, uncounted clients.
/// </summary>
internal sealed class BenchmarkEnvironment : IAsyncDisposable
{
    public const string ApiKey = "sk-benchmark";

    private readonly ServiceProvider _services;
    private readonly Progress _progress;

    private BenchmarkEnvironment(RepoLayout layout, AzuriteServer azurite, ModelStreamSimulator simulator, ServiceProvider services, StorageRequestCounter counter, Progress progress)
    {
        _progress = progress;
        Layout = layout;
        Azurite = azurite;
        Simulator = simulator;
        _services = services;
        Counter = counter;

        // The core's own clients (counted): the blob trigger hands the processor a BlobClient, here one of these.
        Uploads = services.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(StartFrameOptions.UploadsContainer);
        Ledger = services.GetRequiredService<TableServiceClient>().GetTableClient(StartFrameOptions.LedgerTable);
        Tasks = services.GetRequiredService<QueueServiceClient>().GetQueueClient(StartFrameOptions.TasksQueue);
        Tracking = services.GetRequiredService<QueueServiceClient>().GetQueueClient(StartFrameOptions.TrackingQueue);

        var setupBlobs = new BlobServiceClient(azurite.ConnectionString);
        SetupUploads = setupBlobs.GetBlobContainerClient(StartFrameOptions.UploadsContainer);
        SetupSources = setupBlobs.GetBlobContainerClient("benchmark-sources");
        SetupLedger = new TableClient(azurite.ConnectionString, StartFrameOptions.LedgerTable);
        Naive = new NaiveProcessor(azurite.ConnectionString, simulator.BaseAddress, ApiKey, options => options.AddPolicy(counter, HttpPipelinePosition.PerRetry));
    }

    public RepoLayout Layout { get; }

    public AzuriteServer Azurite { get; }

    public ModelStreamSimulator Simulator { get; }

    public StorageRequestCounter Counter { get; }

    /// <summary>The uploads container through the core's (counted) blob client.</summary>
    public BlobContainerClient Uploads { get; }

    /// <summary>The ledger table through the core's (counted) table client.</summary>
    public TableClient Ledger { get; }

    /// <summary>The task records queue through the core's (counted) queue client.</summary>
    public QueueClient Tasks { get; }

    /// <summary>The tracking queue through the core's (counted) queue client.</summary>
    public QueueClient Tracking { get; }

    /// <summary>The uploads container through an uncounted client, for setup.</summary>
    public BlobContainerClient SetupUploads { get; }

    /// <summary>Where the one uploaded image per size lives, that each test upload is copied from.</summary>
    public BlobContainerClient SetupSources { get; }

    /// <summary>The ledger table through an uncounted client, for reading back what the core wrote.</summary>
    public TableClient SetupLedger { get; }

    /// <summary>The baseline, on its own clients (counted too).</summary>
    public NaiveProcessor Naive { get; }

    /// <summary>Starts Azurite and the simulator and provisions storage (not counted: it happens once per app start).</summary>
    public static async Task<BenchmarkEnvironment> StartAsync(Progress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var layout = RepoLayout.Find();
        progress.Line("starting Azurite (node, in memory) ...");
        var azurite = await AzuriteServer.StartAsync(layout, progress.Line, cancellationToken);
        ModelStreamSimulator? simulator = null;
        ServiceProvider? services = null;
        try
        {
            progress.Line($"Azurite pid {azurite.ProcessId} on ports {azurite.BlobPort}/{azurite.QueuePort}/{azurite.TablePort}; starting the simulator ...");
            // No fetching of the start frame: that is the provider's work, not StartFrame's, and the raw round trips
            // re-send a captured POST whose image URL names a blob that is gone by then.
            simulator = await ModelStreamSimulator.StartAsync(new SimulatorOptions { RequiredApiKey = ApiKey, FetchImages = false }, cancellationToken);
            var counter = new StorageRequestCounter();
            services = BuildCore(azurite, simulator, counter);
            await services.GetRequiredService<StorageProvisioner>().EnsureCreatedAsync(cancellationToken);
            var environment = new BenchmarkEnvironment(layout, azurite, simulator, services, counter, progress);
            await environment.SetupSources.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            return environment;
        }
        catch
        {
            await StopAsync(services, simulator, azurite, progress);
            throw;
        }
    }

    /// <summary>
    /// Processes one uploaded image as the blob trigger does — a processor resolved per invocation (it is transient),
    /// handed a <see cref="BlobClient"/> — and insists it was accepted: every figure is about accepted uploads.
    /// </summary>
    public async Task<ProcessingOutcome> ProcessAsync(string imageName, CancellationToken cancellationToken)
    {
        var processor = _services.GetRequiredService<IBlobUploads>();
        var outcome = await processor.ProcessBlobAsync(Uploads.GetBlobClient(imageName), null, cancellationToken);
        if (outcome.Status != OutcomeStatus.Submitted)
        {
            var errors = string.Join("; ", (outcome.Errors ?? []).Select(e => $"{e.Field}: {e.Code} {e.Message}"));
            throw new BenchmarkFailedException($"{outcome.Subject} was not accepted: {outcome.Status} {outcome.Detail} {errors}");
        }

        return outcome;
    }

    public ValueTask DisposeAsync() => new(StopAsync(_services, Simulator, Azurite, _progress));

    private static ServiceProvider BuildCore(AzuriteServer azurite, ModelStreamSimulator simulator, StorageRequestCounter counter)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [StartFrameOptions.StorageConnectionName] = azurite.ConnectionString,
            ["ModelStream:BaseUrl"] = simulator.BaseAddress.ToString(),
            ["ModelStream:ApiKey"] = ApiKey,
            ["StartFrame:AllowLoopbackResultUrls"] = "true", // the simulator serves its videos from http://127.0.0.1
        }).Build();
        var services = new ServiceCollection();

        // No logging provider: what a sink costs depends on the sink (Application Insights batches off-thread).
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddStartFrame(configuration);
        services.AddAzureClients(clients => clients.ConfigureDefaults(options => options.AddPolicy(counter, HttpPipelinePosition.PerRetry)));
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private static async Task StopAsync(ServiceProvider? services, ModelStreamSimulator? simulator, AzuriteServer azurite, Progress progress)
    {
        progress.Line($"stopping the simulator, then Azurite (pid {azurite.ProcessId}) ...");
        // Azurite last and whatever happens before it: it is a separate process that would outlive us.
        try
        {
            if (services is not null)
            {
                await services.DisposeAsync();
            }

            if (simulator is not null)
            {
                await simulator.DisposeAsync();
            }
        }
        finally
        {
            await azurite.DisposeAsync();
            progress.Line("stopped");
        }
    }
}
