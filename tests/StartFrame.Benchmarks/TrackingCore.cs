using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ModelStream.Simulator;
using StartFrame.Core;
using StartFrame.Core.Tracking;
using StartFrame.Core.WaysIn;
using StartFrame.IntegrationTests.Infrastructure;
using StartFrame.LocalDev;

namespace StartFrame.Benchmarks;

/// <summary>
/// The real core on an Azurite of its own (the upload phases' first polls and ledger rows are not in its way) and its
/// own simulator, both on one fake clock, with a
/// <see cref="StorageRequestCounter"/> on every Azure client: a task's whole life — hours or days of polling — runs in
/// seconds, every storage request and every poll still a real one. Tracking messages are delivered at their due time on
/// that clock by the integration tests' <see cref="FakeClockTracking"/>, through the counted queue client (its receive
/// and delete stand for the Functions host's).
/// </summary>
internal sealed class TrackingCore : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private TrackingCore(AzuriteServer azurite, ModelStreamSimulator simulator, ServiceProvider services, FakeTimeProvider clock, StorageRequestCounter counter)
    {
        Simulator = simulator;
        _services = services;
        Clock = clock;
        Counter = counter;
        Uploads = services.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(StartFrameOptions.UploadsContainer);
        SetupUploads = new BlobContainerClient(azurite.ConnectionString, StartFrameOptions.UploadsContainer);
        SetupVideos = new BlobContainerClient(azurite.ConnectionString, StartFrameOptions.VideosContainer);
        var queue = services.GetRequiredService<QueueServiceClient>().GetQueueClient(StartFrameOptions.TrackingQueue);
        Tracking = new FakeClockTracking(queue, services.GetRequiredService<IVideoTracker>, clock);
    }

    public ModelStreamSimulator Simulator { get; }

    public FakeTimeProvider Clock { get; }

    public StorageRequestCounter Counter { get; }

    /// <summary>The uploads container through the counted client.</summary>
    public BlobContainerClient Uploads { get; }

    public FakeClockTracking Tracking { get; }

    /// <summary>The uploads container through an uncounted client, for setup.</summary>
    public BlobContainerClient SetupUploads { get; }

    /// <summary>The videos container through an uncounted client, for clean-up.</summary>
    public BlobContainerClient SetupVideos { get; }

    public IBlobUploads Processor => _services.GetRequiredService<IBlobUploads>();

    public static async Task<TrackingCore> StartAsync(AzuriteServer azurite, SimulatorOptions simulatorOptions, CancellationToken cancellationToken)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        // No fetching of the start frame: on the fake clock, days ahead of Azurite's, every SAS the core issues has
        // expired in Azurite's eyes, and the fetch is the provider's work, not what tracking costs.
        var simulator = await ModelStreamSimulator.StartAsync(simulatorOptions with { RequiredApiKey = BenchmarkEnvironment.ApiKey, TimeProvider = clock, FetchImages = false }, cancellationToken);
        var counter = new StorageRequestCounter();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [StartFrameOptions.StorageConnectionName] = azurite.ConnectionString,
            ["ModelStream:BaseUrl"] = simulator.BaseAddress.ToString(),
            ["ModelStream:ApiKey"] = BenchmarkEnvironment.ApiKey,
            ["StartFrame:AllowLoopbackResultUrls"] = "true", // the simulator serves its videos from http://127.0.0.1
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<TimeProvider>(clock);
        services.AddStartFrame(configuration);
        services.AddAzureClients(clients => clients.ConfigureDefaults(options =>
        {
            options.AddPolicy(new DueNowPolicy(), HttpPipelinePosition.PerCall);
            options.AddPolicy(counter, HttpPipelinePosition.PerRetry);
        }));
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        // Each scenario's generation time is its own: what an earlier scenario taught the generation times table about the
        // same model, duration and resolution is not carried into it.
        await provider.GetRequiredService<TableServiceClient>().GetTableClient(StartFrameOptions.GenerationTimesTable).DeleteAsync(cancellationToken);
        await provider.GetRequiredService<StartFrame.Core.Storage.StorageProvisioner>().EnsureCreatedAsync(cancellationToken);

        return new TrackingCore(azurite, simulator, provider, clock, counter);
    }

    /// <summary>Submits an uploaded image as the blob trigger does, insisting it was accepted.</summary>
    public async Task<ProcessingOutcome> SubmitAsync(string imageName, CancellationToken cancellationToken)
    {
        var outcome = await Processor.ProcessBlobAsync(Uploads.GetBlobClient(imageName), null, cancellationToken);
        return outcome.Status == OutcomeStatus.Submitted ? outcome : throw new BenchmarkFailedException(
            $"{imageName} was not accepted: {outcome.Status} {outcome.Detail} {string.Join("; ", (outcome.Errors ?? []).Select(e => $"{e.Field} {e.Code}: {e.Message}"))}");
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Simulator.DisposeAsync();
    }
}
