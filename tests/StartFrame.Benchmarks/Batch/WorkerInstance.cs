using Azure.Core;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StartFrame.Core;
using StartFrame.Core.Storage;
using StartFrame.LocalDev;

namespace StartFrame.Benchmarks.Batch;

/// <summary>
/// One worker instance of the function app: the real core in a DI container of its own (its own ModelStream client
/// and connection pools, its own view of the shared fake clock), against the shared Azurite and simulator, as a
/// second instance of a scaled-out app is. Every Azure client of the core counts its requests
/// (<see cref="StorageRequestCounter"/>), has its visibility delays kept on the fake clock (<see cref="DelayedMessages"/>)
/// and its requests in flight seen (<see cref="InFlightRequests"/>). The host's own queue calls (receive, delete, give
/// back, poison) go through <see cref="HostQueues"/>, counted apart.
/// </summary>
internal sealed class WorkerInstance : IAsyncDisposable
{
    /// <summary>The key the simulator requires and the instances send.</summary>
    public const string ApiKey = "sk-benchmark";

    private readonly ServiceProvider _services;

    private WorkerInstance(string name, ServiceProvider services, QueueServiceClient hostQueues)
    {
        Name = name;
        _services = services;
        Uploads = services.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(StartFrameOptions.UploadsContainer);
        HostQueues = hostQueues;
    }

    public string Name { get; }

    public IServiceProvider Services => _services;

    /// <summary>The uploads container through the core's client: the blob trigger hands the function one of its blobs.</summary>
    public BlobContainerClient Uploads { get; }

    /// <summary>The queues as the Functions host reaches them for its triggers (host.json's base64 encoding).</summary>
    public QueueServiceClient HostQueues { get; }

    public static WorkerInstance Start(
        string name,
        AzuriteServer azurite,
        Uri simulator,
        int? maxConcurrentTasks,
        TimeProvider clock,
        StorageRequestCounter coreCalls,
        StorageRequestCounter hostCalls,
        DelayedMessages delayed,
        InFlightRequests inFlight)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [StartFrameOptions.StorageConnectionName] = azurite.ConnectionString,
            ["ModelStream:BaseUrl"] = simulator.ToString(),
            ["ModelStream:ApiKey"] = ApiKey,
            ["StartFrame:AllowLoopbackResultUrls"] = "true", // the simulator serves its videos from http://127.0.0.1
            ["ModelStream:MaxConcurrentTasks"] = maxConcurrentTasks?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton(clock);
        services.AddStartFrame(configuration);
        // Innermost, after the resilience handler: an attempt is in flight, a Retry-After wait (on the fake clock) is not.
        services.AddHttpClient<ModelStream.Client.ModelStreamClient>().AddHttpMessageHandler(inFlight.Handler);
        services.AddHttpClient(StartFrame.Core.Tracking.VideoCopier.HttpClientName).AddHttpMessageHandler(inFlight.Handler);
        services.AddAzureClients(clients => clients.ConfigureDefaults(options =>
        {
            options.AddPolicy(delayed, HttpPipelinePosition.PerCall);
            options.AddPolicy(inFlight, HttpPipelinePosition.PerCall);
            options.AddPolicy(coreCalls, HttpPipelinePosition.PerRetry);
        }));
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var hostOptions = QueueMessages.ClientOptions();
        hostOptions.AddPolicy(delayed, HttpPipelinePosition.PerCall);
        hostOptions.AddPolicy(inFlight, HttpPipelinePosition.PerCall);
        hostOptions.AddPolicy(hostCalls, HttpPipelinePosition.PerRetry);
        return new WorkerInstance(name, provider, new QueueServiceClient(azurite.ConnectionString, hostOptions));
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}

/// <summary>A worker instance's own view of the shared fake clock (each instance's container holds its own TimeProvider).</summary>
internal sealed class ClockView(VirtualClock clock) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => clock.GetUtcNow();

    public override long TimestampFrequency => clock.TimestampFrequency;

    public override long GetTimestamp() => clock.GetTimestamp();

    public override TimeZoneInfo LocalTimeZone => clock.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        clock.CreateTimer(callback, state, dueTime, period);
}
