using System.Net;
using System.Text.Json;
using StartFrame.LocalDev.EventGrid;

namespace StartFrame.Deployment.Tests;

/// <summary>The local delivery is the request Event Grid makes to the blob extension's webhook.</summary>
public sealed class LocalBlobWebhookDeliversLikeEventGrid
{
    private static readonly BlobCreatedEvent Event = BlobCreatedEventBuilder.Build(
        new BlobCreatedSource("devstoreaccount1", "start-frames", "cat.png",
            new Uri("http://127.0.0.1:10000/devstoreaccount1/start-frames/cat.png"), "0x8DC1", "image/png", 10),
        DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task Posts_one_event_array_with_the_notification_header_to_the_functions_webhook()
    {
        var handler = new RecordingHandler(HttpStatusCode.Accepted);
        using var http = new HttpClient(handler);

        var status = await new LocalBlobWebhook(http).DeliverAsync(Event, CancellationToken.None);

        Assert.Equal(HttpStatusCode.Accepted, status);
        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("http://localhost:7071/runtime/webhooks/blobs?functionName=Host.Functions.StartFrameUploaded", request.Uri.ToString());
        Assert.Equal("Notification", request.EventType);
        Assert.Equal("application/json", request.ContentType);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("/blobServices/default/containers/start-frames/blobs/cat.png", body.RootElement[0].GetProperty("subject").GetString());
    }

    [Fact]
    public async Task An_error_answer_says_what_to_check()
    {
        using var http = new HttpClient(new RecordingHandler(HttpStatusCode.NotFound));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() =>
            new LocalBlobWebhook(http, new Uri("http://127.0.0.1:7072")).DeliverAsync(Event, CancellationToken.None));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Contains("func start", error.Message, StringComparison.Ordinal);
        Assert.Contains("http://127.0.0.1:7072/runtime/webhooks/blobs", error.Message, StringComparison.Ordinal);
    }

    private sealed record Recorded(HttpMethod Method, Uri Uri, string? EventType, string? ContentType, string Body);

    private sealed class RecordingHandler(HttpStatusCode status) : HttpMessageHandler
    {
        public List<Recorded> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(new Recorded(
                request.Method,
                request.RequestUri!,
                request.Headers.TryGetValues("aeg-event-type", out var values) ? values.Single() : null,
                request.Content?.Headers.ContentType?.MediaType,
                request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken)));
            return new HttpResponseMessage(status);
        }
    }
}
