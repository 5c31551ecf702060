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

    /// <summary>
    /// The app settings the deployment gives the function app: the evaluated <c>Microsoft.Web/sites/config</c>
    /// <c>appsettings</c> resource of the compiled template (one object in infra/app/function-app.bicep).
    /// </summary>
    public static IReadOnlyDictionary<string, string> DeployedAppSettings()
    {
        var config = CompiledInfra.Instance.OfType("Microsoft.Web/sites/config")
            .Where(r => r.GetProperty("name").GetString()!.EndsWith("/appsettings", StringComparison.Ordinal))
            .ToList();
        Assert.True(config.Count == 1, $"infra/ deploys {config.Count} appsettings resources; expected exactly one ({FunctionAppBicep}).");
        return config[0].GetProperty("properties").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText(), StringComparer.Ordinal);
    }

    public const string FunctionAppBicep = "infra/app/function-app.bicep";
}
