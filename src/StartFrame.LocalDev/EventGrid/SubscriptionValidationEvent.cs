using System.Text.Json.Serialization;

namespace StartFrame.LocalDev.EventGrid;

/// <summary>
/// The <c>Microsoft.EventGrid.SubscriptionValidationEvent</c> Event Grid posts (header <c>aeg-event-type:
/// SubscriptionValidation</c>) before it delivers anything to a new webhook subscription; the endpoint proves it wants
/// the events by answering 200 with <see cref="SubscriptionValidationResponse"/> echoing the code (the synchronous handshake).
/// </summary>
public sealed record SubscriptionValidationEvent(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("topic")] string Topic,
    [property: JsonPropertyName("subject")] string Subject,
    [property: JsonPropertyName("eventType")] string EventType,
    [property: JsonPropertyName("eventTime")] DateTime EventTime,
    [property: JsonPropertyName("data")] SubscriptionValidationEventData Data,
    [property: JsonPropertyName("dataVersion")] string DataVersion,
    [property: JsonPropertyName("metadataVersion")] string MetadataVersion)
{
    /// <summary>The event type of the handshake.</summary>
    public const string ValidationType = "Microsoft.EventGrid.SubscriptionValidationEvent";

    /// <summary>A handshake for a subscription on <paramref name="topic"/> carrying <paramref name="validationCode"/>.</summary>
    /// <remarks>No <c>validationUrl</c>: that is the asynchronous handshake, for endpoints that cannot answer the code
    /// themselves; the blob extension answers it, and locally there is no Event Grid to GET.</remarks>
    public static SubscriptionValidationEvent Create(string topic, string validationCode, DateTimeOffset eventTime) => new(
        Id: Guid.NewGuid().ToString("D"),
        Topic: topic,
        Subject: "",
        EventType: ValidationType,
        EventTime: eventTime.UtcDateTime,
        Data: new SubscriptionValidationEventData(validationCode),
        DataVersion: "1",
        MetadataVersion: "1");
}

/// <summary>The <c>data</c> of the handshake event.</summary>
public sealed record SubscriptionValidationEventData([property: JsonPropertyName("validationCode")] string ValidationCode);

/// <summary>What the endpoint answers to the handshake.</summary>
public sealed record SubscriptionValidationResponse([property: JsonPropertyName("validationResponse")] string? ValidationResponse);
