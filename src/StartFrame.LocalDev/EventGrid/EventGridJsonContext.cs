using System.Text.Json.Serialization;

namespace StartFrame.LocalDev.EventGrid;

/// <summary>Source-generated JSON for the Event Grid wire shapes (names come from the records' attributes).</summary>
[JsonSerializable(typeof(BlobCreatedEvent[]))]
[JsonSerializable(typeof(SubscriptionValidationEvent[]))]
[JsonSerializable(typeof(SubscriptionValidationResponse))]
internal sealed partial class EventGridJsonContext : JsonSerializerContext;
