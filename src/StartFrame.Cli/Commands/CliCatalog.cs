using System.Diagnostics.CodeAnalysis;
using StartFrame.Core.Catalog;
using StartFrame.Core.Validation;

namespace StartFrame.Cli.Commands;

/// <summary>The catalog and validation settings both catalog commands read from the environment, as the function app does.</summary>
internal static class CliCatalog
{
    public const string CatalogPathVariable = "StartFrame__CatalogPath";
    public const string StrictModelsVariable = "StartFrame__StrictModels";
    public const string DefaultModelVariable = "StartFrame__DefaultModel";

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

    /// <summary>The configured default model, or null for the catalog's <c>defaultModel</c>.</summary>
    public static string? DefaultModel(Func<string, string?> environment)
        => environment(DefaultModelVariable) is { Length: > 0 } model ? model : null;
}
