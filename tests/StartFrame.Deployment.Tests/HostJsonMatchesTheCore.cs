using System.Net;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Core.Pipeline;
using Azure.Storage.Queues;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StartFrame.Core;

namespace StartFrame.Deployment.Tests;

/// <summary>host.json agrees with how the core writes queues and with the failure handling docs/architecture.md and docs/operations.md promise.</summary>
public sealed class HostJsonMatchesTheCore
{
    private static JsonElement Extension(string name)
    {
        using var host = RepoFiles.Json("host.json");
        Assert.True(host.RootElement.TryGetProperty("extensions", out var extensions), "host.json has no extensions section.");
        Assert.True(extensions.TryGetProperty(name, out var extension), $"host.json has no extensions.{name} section.");
        return extension.Clone();
    }

    [Fact]
    public async Task Queue_triggers_decode_the_encoding_the_core_writes()
    {
        var written = await MessageTheCoreWrites("hello");

        Assert.Contains("<MessageText>aGVsbG8=</MessageText>", written, StringComparison.Ordinal); // base64("hello")
        Assert.Equal("base64", Extension("queues").GetProperty("messageEncoding").GetString());
    }

    [Fact]
    public void Failing_messages_and_blobs_are_retried_a_bounded_number_of_times_then_poisoned()
    {
        var queues = Extension("queues");
        var blobs = Extension("blobs");

        Assert.Equal(5, queues.GetProperty("maxDequeueCount").GetInt32());
        Assert.True(TimeSpan.TryParse(queues.GetProperty("visibilityTimeout").GetString(), out var visibility) && visibility > TimeSpan.Zero);
        Assert.InRange(queues.GetProperty("batchSize").GetInt32(), 1, 32);
        Assert.InRange(blobs.GetProperty("poisonBlobThreshold").GetInt32(), 1, 10);
    }

    [Fact]
    public void Host_is_version_2_without_an_extension_bundle_and_keeps_every_request_in_telemetry()
    {
        using var host = RepoFiles.Json("host.json");
        var root = host.RootElement;

        Assert.Equal("2.0", root.GetProperty("version").GetString());
        // .NET isolated apps get their extensions from NuGet packages; a bundle is for other languages.
        Assert.False(root.TryGetProperty("extensionBundle", out _));
        Assert.True(TimeSpan.TryParse(root.GetProperty("functionTimeout").GetString(), out var timeout) && timeout >= TimeSpan.FromMinutes(5));
        var excluded = root.GetProperty("logging").GetProperty("applicationInsights").GetProperty("samplingSettings")
            .GetProperty("excludedTypes").GetString()!.Split(';');
        Assert.Contains("Request", excluded);
    }

    /// <summary>Sends one message through the core's own QueueServiceClient and returns the request body it produced.</summary>
    private static async Task<string> MessageTheCoreWrites(string text)
    {
        var handler = new CapturingHandler();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                [StartFrameOptions.StorageConnectionName] = "UseDevelopmentStorage=true",
                ["ModelStream:BaseUrl"] = "http://127.0.0.1:5080",
                ["ModelStream:ApiKey"] = "sk-test",
            })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddStartFrame(configuration);
        services.AddAzureClients(clients => clients.ConfigureDefaults(options =>
        {
            options.Transport = new HttpClientTransport(new HttpClient(handler));
            options.Retry.MaxRetries = 0;
        }));
        await using var provider = services.BuildServiceProvider();

        var queue = provider.GetRequiredService<QueueServiceClient>().GetQueueClient(StartFrameOptions.TasksQueue);
        await Assert.ThrowsAsync<RequestFailedException>(() => queue.SendMessageAsync(text));

        return Assert.Single(handler.Bodies);
    }

    private sealed class CapturingHandler : HttpMessageHandler
    {
        public List<string> Bodies { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Bodies.Add(request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken));
            // Refuse, so nothing else is attempted: only the body the core produced matters here.
            return new HttpResponseMessage(HttpStatusCode.BadRequest)
            {
                Content = new StringContent(
                    "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>InvalidInput</Code><Message>Refused by the test.</Message></Error>",
                    Encoding.UTF8,
                    "application/xml"),
            };
        }
    }
}
