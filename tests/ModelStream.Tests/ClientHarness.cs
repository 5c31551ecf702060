using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using ModelStream.Client;
using ModelStream.Simulator;

namespace ModelStream.Tests;

/// <summary>
/// A real <see cref="ModelStreamClient"/>, registered exactly as the app registers it, pointed at a real in-process
/// simulator. Retry delays are a millisecond so retry tests cost no time; logs are captured at Trace.
/// </summary>
internal sealed class ClientHarness : IAsyncDisposable
{
    public const string ApiKey = "sk-test-3f9c2a7e51";

    private readonly ServiceProvider _services;

    private ClientHarness(ModelStreamSimulator simulator, ServiceProvider services)
    {
        Simulator = simulator;
        _services = services;
        Client = services.GetRequiredService<ModelStreamClient>();
    }

    public ModelStreamSimulator Simulator { get; }

    public ModelStreamClient Client { get; }

    public FakeLogCollector Logs => _services.GetFakeLogCollector();

    public static async Task<ClientHarness> StartAsync(
        Action<Dictionary<string, string?>>? configure = null,
        string? requiredApiKey = null,
        Uri? baseUrl = null)
    {
        var simulator = await ModelStreamSimulator.StartAsync(requiredApiKey);
        var settings = new Dictionary<string, string?>
        {
            ["ModelStream:BaseUrl"] = (baseUrl ?? simulator.BaseAddress).ToString(),
            ["ModelStream:ApiKey"] = ApiKey,
            ["ModelStream:MaxRetries"] = "2",
            ["ModelStream:RetryBaseDelay"] = "00:00:00.001",
            ["ModelStream:MaxRetryDelay"] = "00:00:05",
            ["ModelStream:AttemptTimeout"] = "00:00:10",
        };
        configure?.Invoke(settings);
        return new ClientHarness(simulator, BuildServices(settings));
    }

    public static ServiceProvider BuildServices(Dictionary<string, string?> settings, Action<IHttpClientBuilder>? client = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddFakeLogging().SetMinimumLevel(LogLevel.Trace));
        var builder = services.AddModelStreamClient(configuration);
        client?.Invoke(builder);
        return services.BuildServiceProvider(validateScopes: true);
    }

    public static VideoGenerationRequest SampleRequest() => new()
    {
        Model = "viduq2-pro-fast",
        Images = [TestImageHost.FrameUrl], // a frame the simulator can fetch, as ModelStream fetches it
    };

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Simulator.DisposeAsync();
    }
}
