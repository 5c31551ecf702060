using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace StartFrame.Core.Catalog;

/// <summary>
/// The ModelStream models StartFrame knows, as data: the embedded <c>Catalog/models.json</c>, optionally extended by a
/// file (<c>StartFrame:CatalogPath</c>) so a new model is added without a release. Immutable; safe to share.
/// </summary>
public sealed class ModelCatalog
{
    /// <summary>The manifest name of the embedded catalog.</summary>
    public const string EmbeddedResourceName = "StartFrame.Core.Catalog.models.json";

    private static readonly Lazy<ModelCatalog> s_default = new(LoadEmbedded);

    private static readonly ImageRequirement s_fallbackGenericImage = new()
    {
        Formats = [ImageFormat.Png, ImageFormat.Jpeg, ImageFormat.WebP],
    };

    private readonly Dictionary<string, ModelSpec> _byId;

    private ModelCatalog(IReadOnlyList<ModelSpec> models, ImageRequirement genericImage, string defaultModel)
    {
        Models = models;
        GenericImage = genericImage;
        DefaultModel = defaultModel;
        _byId = models.ToDictionary(m => m.Id, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The model a sidecar that names none gets, unless <c>StartFrame__DefaultModel</c> names another.</summary>
    public string DefaultModel { get; }

    /// <summary>Every model, embedded ones first (in file order), then those an extension file added.</summary>
    public IReadOnlyList<ModelSpec> Models { get; }

    /// <summary>What the start frame must be for a model that is not in the catalog.</summary>
    public ImageRequirement GenericImage { get; }

    /// <summary>The embedded catalog. Parsed once per process.</summary>
    /// <exception cref="ModelCatalogException">The embedded catalog is broken (a build defect).</exception>
    public static ModelCatalog LoadDefault() => s_default.Value;

    /// <summary>
    /// The embedded catalog extended by <paramref name="extraFilePath"/>: a model there with the id of an embedded
    /// one replaces it whole, any other is added. <see langword="null"/> or empty means the embedded catalog alone.
    /// </summary>
    /// <exception cref="ModelCatalogException">The file is missing, not JSON, or inconsistent; the message names the file and the JSON path.</exception>
    public static ModelCatalog Load(string? extraFilePath)
    {
        var embedded = LoadDefault();
        if (string.IsNullOrWhiteSpace(extraFilePath))
        {
            return embedded;
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(extraFilePath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ModelCatalogException(extraFilePath, null, $"the file cannot be read ({ex.Message})", ex);
        }
        return embedded.ExtendedWith(Parse(bytes, extraFilePath), extraFilePath);
    }

    /// <summary>The model with this id (case-insensitive), or <see langword="null"/>.</summary>
    public ModelSpec? Find(string? id) => id is not null && _byId.TryGetValue(id, out var spec) ? spec : null;

    /// <summary>The model with this id (case-insensitive).</summary>
    public bool TryFind(string? id, [NotNullWhen(true)] out ModelSpec? spec)
    {
        spec = Find(id);
        return spec is not null;
    }

    /// <summary>
    /// Whether a request for <paramref name="model"/> asks for off-peak generation: one of the model's
    /// <see cref="ParameterSpec.OffPeak"/> parameters is true where it travels (<paramref name="top"/> or
    /// <paramref name="metadata"/>). A model the catalog does not know is off-peak by ModelStream's own top-level
    /// <c>off_peak</c> switch, as every model was before the catalog said which field it is.
    /// </summary>
    public bool IsOffPeak(string model, System.Text.Json.Nodes.JsonObject? top, System.Text.Json.Nodes.JsonObject? metadata) =>
        Find(model) is { } spec
            ? spec.Parameters.Any(p => p.OffPeak && IsTrue(p.Location == WireLocation.Metadata ? metadata : top, p.Name))
            : IsTrue(top, UnknownModelOffPeakField);

    /// <summary>
    /// The value of parameter <paramref name="name"/> in a request for <paramref name="model"/>, read where the model's
    /// catalog entry says it travels; for a model (or parameter) the catalog does not know, at the top level, else in
    /// <paramref name="metadata"/>, as the API lays out <c>duration</c> and <c>resolution</c>. Null when absent.
    /// </summary>
    public System.Text.Json.Nodes.JsonNode? WireValue(string model, System.Text.Json.Nodes.JsonObject? top, System.Text.Json.Nodes.JsonObject? metadata, string name)
    {
        var parameter = Find(model)?.Parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal));
        return parameter is not null
            ? (parameter.Location == WireLocation.Metadata ? metadata : top)?[name]
            : top?[name] ?? metadata?[name];
    }

    private const string UnknownModelOffPeakField = "off_peak";

    private static bool IsTrue(System.Text.Json.Nodes.JsonObject? fields, string name) =>
        fields is not null && fields.TryGetPropertyValue(name, out var value)
        && value is System.Text.Json.Nodes.JsonValue flag && flag.TryGetValue<bool>(out var on) && on;

    /// <summary>The catalog as a catalog file: what <c>startframe models --json</c> prints, loadable as an extension file.</summary>
    public string ToJson() => JsonSerializer.Serialize(
        new CatalogDocument { DefaultModel = DefaultModel, GenericImage = GenericImage, Models = Models },
        CatalogJsonContext.Default.CatalogDocument);

    /// <summary>Parses and checks one catalog file's bytes; <paramref name="source"/> names it in errors.</summary>
    internal static CatalogDocument Parse(ReadOnlySpan<byte> utf8Json, string source)
    {
        CatalogDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(utf8Json, CatalogJsonContext.Default.CatalogDocument);
        }
        catch (JsonException ex)
        {
            throw new ModelCatalogException(source, ex.Path ?? "$", $"{FirstSentence(ex.Message)} (line {ex.LineNumber + 1})", ex);
        }
        if (document is null)
        {
            throw new ModelCatalogException(source, "$", "the file must hold a JSON object with a \"models\" array");
        }
        CatalogChecks.Check(document, source);
        return document;
    }

    /// <summary>Combines this catalog with a parsed extension: same id replaces, new id appends; its default model, if
    /// it names one, wins and must be a model of the combined catalog.</summary>
    internal ModelCatalog ExtendedWith(CatalogDocument extension, string source)
    {
        var models = Models.ToList();
        foreach (var model in extension.Models)
        {
            var index = models.FindIndex(m => string.Equals(m.Id, model.Id, StringComparison.OrdinalIgnoreCase));
            if (index >= 0)
            {
                models[index] = model;
            }
            else
            {
                models.Add(model);
            }
        }
        var defaultModel = extension.DefaultModel ?? DefaultModel;
        if (!models.Any(m => string.Equals(m.Id, defaultModel, StringComparison.OrdinalIgnoreCase)))
        {
            throw new ModelCatalogException(source, "$.defaultModel", $"'{defaultModel}' is not a model of the catalog; name one of {string.Join(", ", models.Select(m => m.Id))}");
        }

        return new ModelCatalog(models, extension.GenericImage ?? GenericImage, defaultModel);
    }

    /// <summary>A catalog of exactly <paramref name="document"/>'s models, for tests.</summary>
    internal static ModelCatalog From(CatalogDocument document)
        => new(document.Models, document.GenericImage ?? s_fallbackGenericImage, document.DefaultModel ?? (document.Models.Count > 0 ? document.Models[0].Id : ""));

    private static ModelCatalog LoadEmbedded()
    {
        using var stream = typeof(ModelCatalog).Assembly.GetManifestResourceStream(EmbeddedResourceName)
            ?? throw new ModelCatalogException(EmbeddedResourceName, null, "the embedded resource is missing from StartFrame.Core");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var document = Parse(buffer.ToArray(), EmbeddedResourceName);
        if (document.DefaultModel is null || !document.Models.Any(m => string.Equals(m.Id, document.DefaultModel, StringComparison.OrdinalIgnoreCase)))
        {
            throw new ModelCatalogException(EmbeddedResourceName, "$.defaultModel", "the embedded catalog must name one of its models as the default");
        }

        return From(document);
    }

    private static string FirstSentence(string message)
    {
        // System.Text.Json appends "Path: ... | LineNumber: ..." which the exception already carries separately.
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
