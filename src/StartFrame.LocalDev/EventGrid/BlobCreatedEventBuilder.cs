using System.Globalization;
using System.Text.Json;

namespace StartFrame.LocalDev.EventGrid;

/// <summary>Builds the BlobCreated event Event Grid would deliver for a blob, and its wire form.</summary>
public static class BlobCreatedEventBuilder
{
    /// <summary>Subscription id placed in the local event's <c>topic</c>; there is no subscription behind Azurite.</summary>
    public const string LocalSubscriptionId = "00000000-0000-0000-0000-000000000000";

    /// <summary>Resource group placed in the local event's <c>topic</c>.</summary>
    public const string LocalResourceGroup = "local";

    /// <summary>Builds the event for <paramref name="blob"/>, raised at <paramref name="eventTime"/>.</summary>
    /// <param name="blob">The uploaded blob.</param>
    /// <param name="eventTime">When the blob was committed (the blob's last-modified time is a good choice).</param>
    /// <param name="eventId">The event id; a new one when null. It doubles as the storage request id, as in Azure.</param>
    public static BlobCreatedEvent Build(BlobCreatedSource blob, DateTimeOffset eventTime, Guid? eventId = null)
    {
        ArgumentNullException.ThrowIfNull(blob);
        ArgumentException.ThrowIfNullOrEmpty(blob.AccountName);
        ArgumentException.ThrowIfNullOrEmpty(blob.Container);
        ArgumentException.ThrowIfNullOrEmpty(blob.BlobName);

        var id = (eventId ?? Guid.NewGuid()).ToString("D");
        var utc = eventTime.ToUniversalTime();
        return new BlobCreatedEvent(
            Id: id,
            Topic: TopicOf(blob.AccountName),
            Subject: $"/blobServices/default/containers/{blob.Container}/blobs/{blob.BlobName}",
            EventType: BlobCreatedEvent.BlobCreatedType,
            EventTime: utc.UtcDateTime,
            Data: new BlobCreatedEventData(
                Api: "PutBlob",
                ClientRequestId: Guid.NewGuid().ToString("D"),
                RequestId: id,
                ETag: blob.ETag.Trim('"'),
                ContentType: blob.ContentType,
                ContentLength: blob.ContentLength,
                BlobType: "BlockBlob",
                Url: blob.Url.GetLeftPart(UriPartial.Path),
                Sequencer: utc.UtcTicks.ToString("X32", CultureInfo.InvariantCulture),
                StorageDiagnostics: new StorageDiagnostics(Guid.NewGuid().ToString("D"))),
            DataVersion: "",
            MetadataVersion: "1");
    }

    /// <summary>The storage account's system topic, as Event Grid names it in <c>topic</c>.</summary>
    public static string TopicOf(string accountName) =>
        $"/subscriptions/{LocalSubscriptionId}/resourceGroups/{LocalResourceGroup}/providers/Microsoft.Storage/storageAccounts/{accountName}";

    /// <summary>The request body Event Grid posts to a webhook: a JSON array holding the event.</summary>
    public static string ToJson(BlobCreatedEvent blobCreated)
    {
        ArgumentNullException.ThrowIfNull(blobCreated);
        return JsonSerializer.Serialize([blobCreated], EventGridJsonContext.Default.BlobCreatedEventArray);
    }
}
