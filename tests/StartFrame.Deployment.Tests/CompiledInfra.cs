using System.Text.Json;

namespace StartFrame.Deployment.Tests;

/// <summary>
/// infra/main.bicep as the real Bicep CLI sees it, made once per test run: the compiled ARM template (<c>bicep build</c>),
/// the build and lint findings, and the resources that template deploys for one fixed set of parameters
/// (<c>bicep snapshot</c>: the template evaluated by Bicep's deployment engine, modules expanded, names and ids
/// resolved; values only Azure knows stay as <c>[reference(...)]</c> expressions naming the resource they come from).
/// </summary>
internal sealed class CompiledInfra
{
    public const string SubscriptionId = "00000000-0000-0000-0000-00000000aaaa";
    public const string TenantId = "00000000-0000-0000-0000-00000000bbbb";
    public const string Location = "westeurope";
    public const string EnvironmentName = "sf-test";
    public const string DeveloperPrincipalId = "00000000-0000-0000-0000-00000000dddd";

    private static readonly Lazy<CompiledInfra> s_instance = new(Compile);

    private CompiledInfra(JsonElement template, IReadOnlyList<string> buildFindings, IReadOnlyList<string> lintFindings, JsonElement snapshot)
    {
        Template = template;
        BuildFindings = buildFindings;
        LintFindings = lintFindings;
        Resources = snapshot.GetProperty("predictedResources").EnumerateArray().ToList();
        Outputs = snapshot.GetProperty("outputs");
        SnapshotDiagnostics = snapshot.GetProperty("diagnostics").EnumerateArray().Select(d => d.GetRawText()).ToList();
    }

    public static CompiledInfra Instance => s_instance.Value;

    /// <summary>The ARM JSON <c>bicep build</c> writes for infra/main.bicep.</summary>
    public JsonElement Template { get; }

    /// <summary>Errors and warnings of <c>bicep build</c> (one line each).</summary>
    public IReadOnlyList<string> BuildFindings { get; }

    /// <summary>Findings of <c>bicep lint</c> on every .bicep file under infra/.</summary>
    public IReadOnlyList<string> LintFindings { get; }

    /// <summary>What the snapshot engine could not evaluate.</summary>
    public IReadOnlyList<string> SnapshotDiagnostics { get; }

    /// <summary>Every resource the template deploys, across all modules.</summary>
    public IReadOnlyList<JsonElement> Resources { get; }

    /// <summary>The deployment's outputs (what azd stores and the hooks read), evaluated.</summary>
    public JsonElement Outputs { get; }

    public IEnumerable<JsonElement> OfType(string type) =>
        Resources.Where(r => string.Equals(r.GetProperty("type").GetString(), type, StringComparison.OrdinalIgnoreCase));

    /// <summary>The one resource of <paramref name="type"/>; fails naming how many there are.</summary>
    public JsonElement Single(string type)
    {
        var matches = OfType(type).ToList();
        Assert.True(matches.Count == 1, $"infra/ deploys {matches.Count} resources of type {type}; expected exactly one.");
        return matches[0];
    }

    public string Output(string name)
    {
        Assert.True(Outputs.TryGetProperty(name, out var value), $"main.bicep has no output {name}.");
        return value.GetString()!;
    }

    private static CompiledInfra Compile()
    {
        var root = RepoFiles.Root;
        var build = BicepCli.Invoke(root, "build", "infra/main.bicep", "--stdout", "--diagnostics-format", "sarif");
        var buildFindings = BicepCli.Findings(build.StandardError);
        Assert.True(build.ExitCode == 0, $"bicep build failed:{Environment.NewLine}{string.Join(Environment.NewLine, buildFindings)}");

        var lint = BicepCli.Invoke(root, "lint", "--pattern", "infra/**/*.bicep", "--diagnostics-format", "sarif");
        Assert.True(lint.ExitCode == 0, $"bicep lint failed: {lint.StandardError}");

        using var template = JsonDocument.Parse(build.StandardOutput);
        using var snapshot = JsonDocument.Parse(Snapshot(root));
        return new CompiledInfra(template.RootElement.Clone(), buildFindings, BicepCli.Findings(lint.StandardOutput), snapshot.RootElement.Clone());
    }

    /// <summary>Runs <c>bicep snapshot</c> on a parameters file written under artifacts/ (it writes its result beside it).</summary>
    private static string Snapshot(string root)
    {
        var folder = Path.Combine(root, "artifacts", "deployment-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var relativeMain = Path.GetRelativePath(folder, Path.Combine(root, "infra", "main.bicep")).Replace('\\', '/');
            File.WriteAllText(Path.Combine(folder, "infra.bicepparam"), $"""
                using '{relativeMain}'

                param environmentName = '{EnvironmentName}'
                param location = '{Location}'
                param modelStreamApiKey = 'sk-snapshot-placeholder'
                param developerPrincipalId = '{DeveloperPrincipalId}'
                """);
            var run = BicepCli.Invoke(folder, "snapshot", "infra.bicepparam", "--mode", "overwrite",
                "--subscription-id", SubscriptionId, "--tenant-id", TenantId, "--location", Location);
            Assert.True(run.ExitCode == 0, $"bicep snapshot failed: {run.StandardError.Trim()}");
            return File.ReadAllText(Path.Combine(folder, "infra.snapshot.json"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
