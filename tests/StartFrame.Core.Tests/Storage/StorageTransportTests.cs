using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using StartFrame.Core.Storage;

namespace StartFrame.Core.Tests.Storage;

/// <summary>
/// Storage requests made while a stage span is current start no HttpClient Activity: .NET's handler would otherwise
/// start one on every blob, queue and table request, for a span nothing records, which was half of what tracing cost
/// an upload. The request still carries the trace: Azure.Core writes the current span's own <c>traceparent</c>. Real
/// requests to a loopback listener that records what it is sent.
/// </summary>
public sealed class StorageTransportTests : IDisposable
{
    private const string EmulatorKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly HeaderRecorder _server = new();

    [Fact]
    public async Task Blob_queue_and_table_requests_start_no_http_activity_and_name_the_span_itself()
    {
        var httpActivities = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStarted = httpActivities.Add,
        };
        ActivitySource.AddActivityListener(listener);
        using var span = new Activity("upload").SetIdFormat(ActivityIdFormat.W3C).Start();

        // The control: .NET's own handler does start one under the same span, and names it in the header.
        using (var plain = new HttpClient())
        {
            using var response = await plain.GetAsync(new Uri(_server.Address, "control"));
        }

        var control = Assert.Single(httpActivities, a => a.TraceId == span.TraceId);
        Assert.Equal(control.Id, _server.TraceParentOf("/control"));

        var storage = StorageConnection.FromConfiguration(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [StartFrameOptions.StorageConnectionName] =
                $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={EmulatorKey};" +
                $"BlobEndpoint={_server.Address}blob;QueueEndpoint={_server.Address}queue;TableEndpoint={_server.Address}table;",
        }).Build());

        await Answered(() => storage.CreateBlobServiceClient(new BlobClientOptions { Retry = { MaxRetries = 0 } }).GetBlobContainerClient("uploads").ExistsAsync());
        await Answered(() => storage.CreateQueueServiceClient(new QueueClientOptions { Retry = { MaxRetries = 0 } }).GetQueueClient("task-records").ExistsAsync());
        await Answered(() => storage.CreateTableServiceClient(new TableClientOptions { Retry = { MaxRetries = 0 } }).GetPropertiesAsync());

        Assert.Equal(["/blob/uploads", "/control", "/queue/task-records", "/table/"], _server.Paths.Order(StringComparer.Ordinal));
        Assert.Single(httpActivities, a => a.TraceId == span.TraceId);
        Assert.Equal(span.Id, _server.TraceParentOf("/blob/uploads"));
        Assert.Equal(span.Id, _server.TraceParentOf("/queue/task-records"));
        Assert.Equal(span.Id, _server.TraceParentOf("/table/"));
    }

    [Fact]
    public void Options_that_name_their_own_transport_keep_it()
    {
        var own = new Azure.Core.Pipeline.HttpClientTransport(new HttpClient());
        var options = new BlobClientOptions { Transport = own };

        Assert.Same(own, StorageTransport.Apply(options).Transport);
        Assert.Same(StorageTransport.Shared, StorageTransport.Apply(new BlobClientOptions()).Transport);
    }

    public void Dispose() => _server.Dispose();

    // The listener answers 404 to everything: the call's outcome does not matter, only what was sent.
    private static async Task Answered(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (RequestFailedException)
        {
        }
    }

    private sealed class HeaderRecorder : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly ConcurrentDictionary<string, string?> _traceParents = new(StringComparer.Ordinal);
        private readonly Task _serving;

        public HeaderRecorder()
        {
            Address = new Uri($"http://127.0.0.1:{FreePort()}/");
            _listener.Prefixes.Add(Address.ToString());
            _listener.Start();
            _serving = ServeAsync();
        }

        public Uri Address { get; }

        public IEnumerable<string> Paths => _traceParents.Keys;

        public string? TraceParentOf(string path) =>
            _traceParents.TryGetValue(path, out var value) ? value : throw new InvalidOperationException($"No request for {path} reached the listener.");

        public void Dispose()
        {
            _listener.Close();
            _ = _serving.Exception;
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                var context = await _listener.GetContextAsync();
                _traceParents[context.Request.Url!.AbsolutePath] = context.Request.Headers["traceparent"];
                context.Response.StatusCode = 404;
                context.Response.Close();
            }
        }

        private static int FreePort()
        {
            using var socket = new TcpListener(IPAddress.Loopback, 0);
            socket.Start();
            return ((IPEndPoint)socket.LocalEndpoint).Port;
        }
    }
}
