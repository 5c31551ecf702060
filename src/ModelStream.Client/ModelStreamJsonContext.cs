using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ModelStream.Client;

/// <summary>
/// Source-generated serializer for the request body, so the wire shape is fixed at compile time and
/// needs no reflection. Responses are read with <see cref="System.Text.Json.JsonDocument"/> instead:
/// two deployments answer two shapes, and a tolerant reader beats a DTO that throws on a surprise.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(VideoGenerationWireBody))]
[JsonSerializable(typeof(JsonNode))]
internal sealed partial class ModelStreamJsonContext : JsonSerializerContext;

/// <summary>
/// <see cref="VideoGenerationRequest"/> as it is written. System.Text.Json cannot write the record itself:
/// extension data typed <see cref="JsonObject"/> comes out as invalid JSON (<c>{"model":"m",{"prompt":"p"}}</c>,
/// dotnet/runtime#60806), and an init-only extension property is refused by the source generator. A dictionary
/// of elements is the form STJ writes correctly.
/// </summary>
internal sealed class VideoGenerationWireBody
{
    [JsonPropertyName("model")]
    public string Model { get; set; } = "";

    [JsonPropertyName("images")]
    public IReadOnlyList<string> Images { get; set; } = [];

    [JsonPropertyName("metadata")]
    public JsonObject? Metadata { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Fields { get; set; }

    public static VideoGenerationWireBody From(VideoGenerationRequest request) => new()
    {
        Model = request.Model,
        Images = request.Images,
        Metadata = request.Metadata,
        Fields = request.Fields?.ToDictionary(
            field => field.Key,
            field => JsonSerializer.SerializeToElement(field.Value, ModelStreamJsonContext.Default.JsonNode),
            StringComparer.Ordinal),
    };
}
