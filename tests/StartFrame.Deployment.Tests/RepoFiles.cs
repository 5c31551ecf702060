using System.Text.Json;
using StartFrame.LocalDev;

namespace StartFrame.Deployment.Tests;

/// <summary>The deployment files of this clone, read as text or JSON.</summary>
internal static class RepoFiles
{
    private static readonly Lazy<string> RootPath = new(() => RepoLayout.Find().Root);

    public static string Root => RootPath.Value;

    public static string PathOf(string relativePath) =>
        Path.Combine([Root, .. relativePath.Split('/')]);

    public static string Text(string relativePath)
    {
        var path = PathOf(relativePath);
        Assert.True(File.Exists(path), $"{relativePath} is missing.");
        return File.ReadAllText(path);
    }

    /// <summary>Parses a JSON file the way the Functions host does (comments and trailing commas allowed).</summary>
    public static JsonDocument Json(string relativePath) =>
        JsonDocument.Parse(Text(relativePath), new JsonDocumentOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        });

    /// <summary>The <c>Values</c> of local.settings.sample.json.</summary>
    public static IReadOnlyDictionary<string, JsonElement> LocalSettingsValues()
    {
        using var document = Json("local.settings.sample.json");
        Assert.True(document.RootElement.TryGetProperty("Values", out var values), "local.settings.sample.json has no Values object.");
        return values.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
    }

    /// <summary>The app settings of the function app in Bicep: the keys and raw values of <c>var appSettings = { … }</c>.</summary>
    public static IReadOnlyDictionary<string, string> BicepAppSettings() =>
        Bicep.ObjectVariable(Text(FunctionAppBicep), "appSettings");

    public const string FunctionAppBicep = "infra/app/function-app.bicep";
    public const string StorageEntitiesBicep = "infra/app/storage-entities.bicep";
    public const string MainBicep = "infra/main.bicep";
}
