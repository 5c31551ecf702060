using System.Threading.Channels;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using NJsonSchema;
using StartFrame.IntegrationTests.Infrastructure;
using StartFrame.LocalDev;
using StartFrame.LocalDev.EventGrid;

namespace StartFrame.IntegrationTests.LocalDev;

/// <summary>
/// Event Grid played for `func start` — the container watched on real Azurite, each new or replaced blob
/// delivered as Microsoft.Storage.BlobCreated to a real webhook receiver (Kestrel): handshake first, the documented schema,
/// at least once with retries (same event id), and never twice for an unchanged blob.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class EventGridDeliveryTests(AzuriteFixture azurite)
{
    private static readonly DeliveryRetrySchedule Fast = new([TimeSpan.FromMilliseconds(20)], MaxAttempts: 5, AttemptTimeout: TimeSpan.FromSeconds(10));

    private static readonly string Topic = BlobCreatedEventBuilder.TopicOf("devstoreaccount1");

    [Fact]
    public async Task Handshake_is_a_subscription_validation_event_whose_code_the_webhook_echoes()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var http = new HttpClient();

        await new EventGridDelivery(new LocalBlobWebhook(http, receiver.BaseAddress), Fast).ValidateSubscriptionAsync(Topic, CancellationToken.None);

        var handshake = Assert.Single(receiver.Requests);
        Assert.Equal("SubscriptionValidation", handshake.EventType);
        Assert.Equal("Host.Functions.StartFrameUploaded", handshake.FunctionName);
        Assert.Equal("Microsoft.EventGrid.SubscriptionValidationEvent", handshake.Event["eventType"]!.GetValue<string>());
        Assert.Equal(Topic, handshake.Event["topic"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(handshake.Event["data"]!["validationCode"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Handshake_answered_without_the_validation_code_fails_as_the_subscription_would()
    {
        await using var receiver = await WebhookReceiver.StartAsync(wrongValidationCode: true);
        using var http = new HttpClient();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            new EventGridDelivery(new LocalBlobWebhook(http, receiver.BaseAddress), Fast).ValidateSubscriptionAsync(Topic, CancellationToken.None));

        Assert.Contains("validationCode", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Uploaded_blob_arrives_as_a_BlobCreated_event_in_the_documented_schema()
    {
        var container = await NewContainerAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        using var http = new HttpClient();
        var delivery = new EventGridDelivery(new LocalBlobWebhook(http, receiver.BaseAddress), Fast);
        await delivery.ValidateSubscriptionAsync(Topic, CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var watching = new BlobChangeWatcher(container, new SeenBlobs(), TimeSpan.FromMilliseconds(100))
            .RunAsync((change, token) => delivery.DeliverAsync(BlobCreatedEventBuilder.Build(change.Blob, change.CommittedAt), token), 2, stop.Token);

        var blob = container.GetBlobClient("shoots/day 1/cat.png");
        await blob.UploadAsync(BinaryData.FromBytes(TestImages.Png(64, 64)), new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "image/png" } });
        await receiver.WaitForAsync(r => r.Any(x => x.EventType == "Notification"), "a BlobCreated notification");
        await stop.CancelAsync();
        await watching;

        Assert.Equal("SubscriptionValidation", receiver.Requests[0].EventType); // the handshake came first
        var notification = Assert.Single(receiver.Notifications);
        var schema = await JsonSchema.FromFileAsync(Path.Combine(RepoLayout.Find().Root, "tests", "StartFrame.Deployment.Tests", "Schemas", "eventgrid-blobcreated.schema.json"));
        var errors = schema.Validate(notification.Body);
        Assert.True(errors.Count == 0, string.Join("; ", errors.Select(e => $"{e.Path}: {e.Kind}")));
        var properties = (await blob.GetPropertiesAsync()).Value;
        var e = notification.Event;
        Assert.Equal($"/blobServices/default/containers/{container.Name}/blobs/shoots/day 1/cat.png", e["subject"]!.GetValue<string>());
        Assert.Equal(properties.ETag.ToString().Trim('"'), e["data"]!["eTag"]!.GetValue<string>());
        Assert.Equal(properties.ContentLength, e["data"]!["contentLength"]!.GetValue<long>());
        Assert.Equal("image/png", e["data"]!["contentType"]!.GetValue<string>());
        Assert.Equal(blob.Uri, new Uri(e["data"]!["url"]!.GetValue<string>()));
        Assert.Equal(("0", LocalBlobWebhook.SubscriptionName, "application/json"), (notification.DeliveryCount, notification.SubscriptionName, notification.MediaType));
    }

    [Fact]
    public async Task Failed_delivery_is_tried_again_with_the_same_event_until_the_webhook_accepts_it()
    {
        await using var receiver = await WebhookReceiver.StartAsync(failFirst: 2, failStatus: 503);
        using var http = new HttpClient();

        var result = await new EventGridDelivery(new LocalBlobWebhook(http, receiver.BaseAddress), Fast).DeliverAsync(AnEvent(), CancellationToken.None);

        Assert.True(result.Delivered, result.LastOutcome);
        Assert.Equal(3, result.Attempts);
        var notifications = receiver.Notifications;
        Assert.Equal(3, notifications.Count);
        Assert.Single(notifications.Select(n => n.Event["id"]!.GetValue<string>()).Distinct());
        Assert.Equal(["0", "1", "2"], notifications.Select(n => n.DeliveryCount));
    }

    [Fact]
    public async Task Answer_Event_Grid_never_retries_gives_the_event_up_at_once()
    {
        await using var receiver = await WebhookReceiver.StartAsync(failFirst: 5, failStatus: 400);
        using var http = new HttpClient();

        var result = await new EventGridDelivery(new LocalBlobWebhook(http, receiver.BaseAddress), Fast).DeliverAsync(AnEvent(), CancellationToken.None);

        Assert.False(result.Delivered);
        Assert.Equal(1, result.Attempts);
        Assert.StartsWith("400", result.LastOutcome, StringComparison.Ordinal);
        Assert.Single(receiver.Notifications);
    }

    [Fact]
    public async Task Delivery_to_a_host_not_listening_yet_is_retried_until_it_listens()
    {
        var port = FreePorts.Allocate(1)[0];
        var firstFailure = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var http = new HttpClient();
        var schedule = new DeliveryRetrySchedule([TimeSpan.FromMilliseconds(100)], MaxAttempts: 300, AttemptTimeout: TimeSpan.FromSeconds(10));
        var delivery = new EventGridDelivery(new LocalBlobWebhook(http, new Uri($"http://127.0.0.1:{port}")), schedule, line => firstFailure.TrySetResult(line));

        var delivering = delivery.DeliverAsync(AnEvent(), CancellationToken.None);
        var failure = await firstFailure.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await using var receiver = await WebhookReceiver.StartAsync(port);
        var result = await delivering.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Contains("no connection", failure, StringComparison.Ordinal);
        Assert.True(result.Delivered, result.LastOutcome);
        Assert.True(result.Attempts >= 2);
        Assert.Single(receiver.Notifications);
    }

    [Fact]
    public async Task Watcher_started_again_publishes_only_new_or_replaced_blobs()
    {
        var container = await NewContainerAsync();
        var seen = new SeenBlobs();
        var published = Channel.CreateUnbounded<BlobChange>();
        Task Publish(BlobChange change, CancellationToken token) => published.Writer.WriteAsync(change, token).AsTask();
        await container.GetBlobClient("a.png").UploadAsync(BinaryData.FromString("first"));

        using (var first = new CancellationTokenSource())
        {
            var watching = new BlobChangeWatcher(container, seen, TimeSpan.FromMilliseconds(100)).RunAsync(Publish, 1, first.Token);
            Assert.Equal("a.png", (await NextAsync(published)).Blob.BlobName);
            await first.CancelAsync();
            await watching;
        }

        using var second = new CancellationTokenSource();
        var again = new BlobChangeWatcher(container, seen, TimeSpan.FromMilliseconds(100)).RunAsync(Publish, 1, second.Token);
        var oldETag = (await container.GetBlobClient("a.png").GetPropertiesAsync()).Value.ETag.ToString();
        await container.GetBlobClient("b.png").UploadAsync(BinaryData.FromString("second"));

        // The listing is in name order: had a.png been published again, it would come before b.png.
        Assert.Equal("b.png", (await NextAsync(published)).Blob.BlobName);
        await container.GetBlobClient("a.png").UploadAsync(BinaryData.FromString("replaced"), overwrite: true);
        var replaced = await NextAsync(published);
        await second.CancelAsync();
        await again;

        Assert.Equal("a.png", replaced.Blob.BlobName);
        Assert.NotEqual(oldETag, replaced.Blob.ETag);
        Assert.False(published.Reader.TryRead(out _));
    }

    private async Task<BlobContainerClient> NewContainerAsync()
    {
        var container = new BlobServiceClient(azurite.Server.ConnectionString).GetBlobContainerClient("watch-" + Guid.NewGuid().ToString("N")[..12]);
        await container.CreateAsync();
        return container;
    }

    private static async Task<BlobChange> NextAsync(Channel<BlobChange> published)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await published.Reader.ReadAsync(timeout.Token);
    }

    private static BlobCreatedEvent AnEvent() => BlobCreatedEventBuilder.Build(
        new BlobCreatedSource("devstoreaccount1", "start-frames", "cat.png", new Uri("http://127.0.0.1:10000/devstoreaccount1/start-frames/cat.png"), "0x8DC1", "image/png", 10),
        DateTimeOffset.UtcNow);
}
