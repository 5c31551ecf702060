using Azure.Core;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ModelStream.Simulator;
using StartFrame.Core;
using StartFrame.Core.Pipeline;
using StartFrame.Core.Tracking;
using StartFrame.IntegrationTests.Infrastructure;
using StartFrame.LocalDev;

namespace StartFrame.Benchmarks;

/// <summary>
/// The real core on the run's Azurite and its own simulator, both on one fake clock, with a
/// <see cref="StorageRequestCounter"/> on every Azure client: a task's whole life — hours or days of polling — runs in
/// seconds, every storage request and every poll still a real one. Tracking messages are delivered at their due time on
/// that clock by the integration tests' <see cref="FakeClockTracking"/>, through the counted queue client (its receive
/// and delete stand for the Functions host's).
/// </summary>
internal sealed class TrackingCore : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private TrackingCore(ModelStreamSimulator simulator, ServiceProvider services, FakeTimeProvider clock, StorageRequestCounter counter)
    {
        Simulator = simulator;
        _services = services;
        Clock = clock;
        Counter = counter;
        Uploads = services.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(StartFrameOptions.UploadsContainer);
        var queue = services.GetRequiredService<QueueServiceClient>().GetQueueClient(StartFrameOptions.TrackingQueue);
        Tracking = new FakeClockTracking(queue, services.GetRequiredService<IVideoTracker>, clock);
    }

    public ModelStreamSimulator Simulator { get; }

    public FakeTimeProvider Clock { get; }

    public StorageRequestCounter Counter { get; }

    /// <summary>The uploads container through the counted client.</summary>
    public BlobContainerClient Uploads { get; }

    public FakeClockTracking Tracking { get; }

    public IStartFrameProcessor Processor => _services.GetRequiredService<IStartFrameProcessor>();

    public static async Task<TrackingCore> StartAsync(AzuriteServer azurite, SimulatorOptions simulatorOptions, CancellationToken cancellationToken)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var simulator = await ModelStreamSimulator.StartAsync(simulatorOptions with { RequiredApiKey = BenchmarkEnvironment.ApiKey, TimeProvider = clock }, cancellationToken);
        var counter = new StorageRequestCounter();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [StartFrameOptions.StorageConnectionName] = azurite.ConnectionString,
            ["ModelStream:BaseUrl"] = simulator.BaseAddress.ToString(),
            ["ModelStream:ApiKey"] = BenchmarkEnvironment.ApiKey,
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
        await provider.GetRequiredService<StartFrame.Core.Storage.StorageProvisioner>().EnsureCreatedAsync(cancellationToken);

        return new TrackingCore(simulator, provider, clock, counter);
    }

    /// <summary>
    /// Empties <c>video-tracking</c> of the first polls the earlier phases' uploads left there (for another simulator).
    /// The newest are invisible until their first poll is due, and clearing reaches only visible messages, so this waits
    /// that long first. (Deleting the queue instead is no good: Azurite removes a deleted queue's messages lazily, by
    /// name, and took a recreated queue's new messages with them.) Setup: nothing here is measured.
    /// </summary>
    public static async Task ClearLeftoverPollsAsync(AzuriteServer azurite, CancellationToken cancellationToken)
    {
        await Task.Delay(new StartFrameOptions().PollFirstDelay + TimeSpan.FromSeconds(1), cancellationToken);
        await new QueueClient(azurite.ConnectionString, StartFrameOptions.TrackingQueue).ClearMessagesAsync(cancellationToken);
    }

    /// <summary>Submits an uploaded image as the blob trigger does, insisting it was accepted.</summary>
    public async Task<ProcessingOutcome> SubmitAsync(string imageName, CancellationToken cancellationToken)
    {
        var outcome = await Processor.ProcessBlobAsync(Uploads.GetBlobClient(imageName), null, cancellationToken);
        return outcome.Status == OutcomeStatus.Submitted ? outcome : throw new BenchmarkFailedException($"{imageName} was not accepted: {outcome.Status} {outcome.Detail}");
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Simulator.DisposeAsync();
    }
}
