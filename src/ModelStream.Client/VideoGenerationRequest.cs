using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ModelStream.Client;

/// <summary>
/// The body of <c>POST /v1/video/generations</c> in its wire shape: the start frame travels as
/// <c>images: [url]</c>, model-specific extras inside <c>metadata</c>, every other form field at the top level.
/// </summary>
/// <remarks>
/// Which field goes where is a catalog decision (StartFrame.Core), so the top-level fields beyond
/// <see cref="Model"/> and <see cref="Images"/> are carried as extension data rather than typed properties.
/// </remarks>
public sealed record VideoGenerationRequest
{
    [JsonPropertyName("model")]
    public required string Model { get; init; }

    [JsonPropertyName("images")]
    public required IReadOnlyList<string> Images { get; init; }

    /// <summary>Top-level form fields other than <c>model</c>/<c>images</c> (prompt, duration, audio, ...).</summary>
    [JsonExtensionData]
    public JsonObject? Fields { get; init; }

    /// <summary>Fields that travel inside <c>metadata</c> (seed, resolution, bgm, and any user extras).</summary>
    [JsonPropertyName("metadata")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonObject? Metadata { get; init; }
}
