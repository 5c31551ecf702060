using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using StartFrame.Core.Catalog;
using StartFrame.Core.Validation;

namespace StartFrame.Cli.Commands;

/// <summary>The catalog and validation settings both catalog commands read from the environment, as the function app does.</summary>
internal static class CliCatalog
{
    public const string CatalogPathVariable = "StartFrame__CatalogPath";
    public const string StrictModelsVariable = "StartFrame__StrictModels";
    public const string DefaultModelVariable = "StartFrame__DefaultModel";

    private static readonly JavaScriptEncoder s_readable = JavaScriptEncoder.UnsafeRelaxedJsonEscaping; // output for people and pipes, never HTML

    /// <summary>Loads the embedded catalog extended by <c>StartFrame__CatalogPath</c>; on failure writes one line and returns false.</summary>
    public static bool TryLoad(Func<string, string?> environment, TextWriter error, [NotNullWhen(true)] out ModelCatalog? catalog)
    {
        try
        {
            catalog = ModelCatalog.Load(environment(CatalogPathVariable));
            return true;
        }
        catch (ModelCatalogException ex)
        {
            error.WriteLine($"{CatalogPathVariable}: {ex.Message}");
            catalog = null;
            return false;
        }
    }

    public static bool StrictModels(Func<string, string?> environment)
        => bool.TryParse(environment(StrictModelsVariable), out var strict) && strict;

    public static string DefaultModel(Func<string, string?> environment)
        => environment(DefaultModelVariable) is { Length: > 0 } model ? model : new SidecarValidationOptions().DefaultModel;

    /// <summary>JSON text without HTML escaping, so <c>&lt;sas-url-of-image&gt;</c> and non-ASCII prompts print as written.</summary>
    public static string Write(JsonNode node, bool indented)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = s_readable, Indented = indented }))
        {
            node.WriteTo(writer);
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
