using System.Text.Json.Serialization;

namespace StartFrame.Core.Catalog;

/// <summary>The JSON type a sidecar field must have.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ParameterType>))]
public enum ParameterType
{
    /// <summary>A JSON string.</summary>
    [JsonStringEnumMemberName("string")]
    Text,

    /// <summary>Any JSON number.</summary>
    [JsonStringEnumMemberName("number")]
    Number,

    /// <summary>A JSON number with no fractional part. <c>5.0</c> counts as <c>5</c> and is sent as <c>5</c>.</summary>
    [JsonStringEnumMemberName("integer")]
    WholeNumber,

    /// <summary><c>true</c> or <c>false</c>.</summary>
    [JsonStringEnumMemberName("boolean")]
    Flag,
}
