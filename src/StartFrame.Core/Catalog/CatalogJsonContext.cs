using System.Text.Json.Serialization;

namespace StartFrame.Core.Catalog;

/// <summary>The shape of a catalog file: the embedded <c>models.json</c> and any extension file.</summary>
internal sealed record CatalogDocument
{
    private readonly IReadOnlyList<ModelSpec> _models = [];

    /// <summary>The model a sidecar that names none gets (the embedded catalog sets it; an extension file may change it).</summary>
    public string? DefaultModel { get; init; }

    /// <summary>What the start frame must be for a model that is not in the catalog (only used when not strict).</summary>
    public ImageRequirement? GenericImage { get; init; }

    /// <summary>The models the file describes.</summary>
    public IReadOnlyList<ModelSpec> Models
    {
        get => _models;
        init => _models = value ?? [];
    }
}

/// <summary>
/// Source-generated JSON for catalog files. Unknown properties are errors so a typo in a catalog
/// (<c>"defualt"</c>) fails loudly at start-up instead of silently dropping a rule.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(CatalogDocument))]
internal sealed partial class CatalogJsonContext : JsonSerializerContext;
