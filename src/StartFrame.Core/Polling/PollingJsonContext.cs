using System.Text.Json.Serialization;

namespace StartFrame.Core.Polling;

/// <summary>The source-generated JSON of tracking messages, exactly as they are queued.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TrackingMessage))]
public sealed partial class PollingJsonContext : JsonSerializerContext;
