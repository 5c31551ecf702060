using System.Text.Json.Serialization;

namespace StartFrame.LocalDev.EventGrid;

/// <summary>
/// A <c>Microsoft.Storage.BlobCreated</c> event in the Event Grid schema, as Event Grid delivers it to a webhook.
/// Azurite emits no events, so the local loop builds one (<see cref="BlobCreatedEventBuilder"/>) and posts it to the
/// blob extension's webhook (<see cref="LocalBlobWebhook"/>): the Event Grid-sourced trigger then runs exactly as in Azure.
/// </summary>
/// <remarks><see cref="EventTime"/> is UTC (serialized with a <c>Z</c>, as Event Grid writes it).</remarks>
public sealed record BlobCreatedEvent(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("topic")] string Topic,
    [property: JsonPropertyName("subject")] string Subject,
    [property: JsonPropertyName("eventType")] string EventType,
    [property: JsonPropertyName("eventTime")] DateTime EventTime,
    [property: JsonPropertyName("data")] BlobCreatedEventData Data,
    [property: JsonPropertyName("dataVersion")] string DataVersion,
    [property: JsonPropertyName("metadataVersion")] string MetadataVersion)
{
    /// <summary>The event type Blob Storage raises when a blob is created or replaced.</summary>
    public const string BlobCreatedType = "Microsoft.Storage.BlobCreated";
}

/// <summary>The <c>data</c> of a <c>Microsoft.Storage.BlobCreated</c> event.</summary>
/// <remarks>The blob extension reads <see cref="Url"/> (container and blob name), <see cref="ETag"/> (unquoted: it adds
/// the quotes) and <see cref="BlobType"/> (<c>BlockBlob</c>); the rest is there because Event Grid sends it.</remarks>
public sealed record BlobCreatedEventData(
    [property: JsonPropertyName("api")] string Api,
    [property: JsonPropertyName("clientRequestId")] string ClientRequestId,
    [property: JsonPropertyName("requestId")] string RequestId,
    [property: JsonPropertyName("eTag")] string ETag,
    [property: JsonPropertyName("contentType")] string ContentType,
    [property: JsonPropertyName("contentLength")] long ContentLength,
    [property: JsonPropertyName("blobType")] string BlobType,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("sequencer")] string Sequencer,
    [property: JsonPropertyName("storageDiagnostics")] StorageDiagnostics StorageDiagnostics);

/// <summary>Storage's diagnostic block of a blob event.</summary>
public sealed record StorageDiagnostics([property: JsonPropertyName("batchId")] string BatchId);
