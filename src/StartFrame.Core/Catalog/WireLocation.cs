using System.Text.Json.Serialization;

namespace StartFrame.Core.Catalog;

/// <summary>Where a sidecar field travels in the ModelStream request body.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WireLocation>))]
public enum WireLocation
{
    /// <summary>A top-level property of the request body.</summary>
    [JsonStringEnumMemberName("top")]
    Top,

    /// <summary>A property of the request's <c>metadata</c> object (the gateway drops unknown top-level keys).</summary>
    [JsonStringEnumMemberName("metadata")]
    Metadata,
}
