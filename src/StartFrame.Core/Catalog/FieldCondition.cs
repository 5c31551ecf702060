using System.Text.Json;
using System.Text.Json.Serialization;

namespace StartFrame.Core.Catalog;

/// <summary>"Field <see cref="Field"/> equals <see cref="Value"/>", compared as JSON values.</summary>
public sealed record FieldCondition
{
    /// <summary>The parameter the condition reads.</summary>
    public required string Field { get; init; }

    /// <summary>The value it must equal.</summary>
    [JsonPropertyName("equals")]
    public required JsonElement Value { get; init; }
}
