using System.Text.Json.Serialization;

namespace StartFrame.Core.Tracking;

/// <summary>Source-generated JSON for tracking messages, completion records and tracking outcomes: camelCase, nulls left out.
/// Its own context (not <c>RecordJsonContext</c>) so the tracking stage stays in its folder.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TrackingOutcome))]
public sealed partial class TrackingJsonContext : JsonSerializerContext;
