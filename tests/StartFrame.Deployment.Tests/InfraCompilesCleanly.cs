using System.Text.RegularExpressions;

namespace StartFrame.Deployment.Tests;

/// <summary>infra/ compiles and lints with the real Bicep CLI without a single finding, and every resource evaluates.</summary>
public sealed partial class InfraCompilesCleanly
{
    [Fact]
    public void Bicep_build_reports_no_errors_and_no_warnings()
    {
        var findings = CompiledInfra.Instance.BuildFindings;

        Assert.True(findings.Count == 0, $"bicep build infra/main.bicep: {findings.Count} findings:{Environment.NewLine}{string.Join(Environment.NewLine, findings)}");
    }

    [Fact]
    public void Bicep_lint_reports_no_findings_in_any_infra_file()
    {
        var findings = CompiledInfra.Instance.LintFindings;

        Assert.True(findings.Count == 0, $"bicep lint infra/**/*.bicep: {findings.Count} findings:{Environment.NewLine}{string.Join(Environment.NewLine, findings)}");
    }

    [Fact]
    public void Every_resource_of_the_template_evaluates_for_a_deployment()
    {
        Assert.Empty(CompiledInfra.Instance.SnapshotDiagnostics);
        Assert.NotEmpty(CompiledInfra.Instance.Resources);
    }

    [Fact]
    public void A_bicepconfig_changes_a_rule_level_only_with_its_reason_beside_it()
    {
        foreach (var config in Directory.EnumerateFiles(RepoFiles.Root, "bicepconfig.json", SearchOption.AllDirectories)
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}node_modules{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                                 && !f.Contains($"{Path.DirectorySeparatorChar}artifacts{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var lines = File.ReadAllLines(config);
            for (var i = 0; i < lines.Length; i++)
            {
                if (LevelSetting().IsMatch(lines[i]))
                {
                    var reasoned = lines[i].Contains("//", StringComparison.Ordinal) || (i > 0 && lines[i - 1].TrimStart().StartsWith("//", StringComparison.Ordinal));
                    Assert.True(reasoned, $"{Path.GetRelativePath(RepoFiles.Root, config)}:{i + 1} changes a rule's level without a // reason beside it.");
                }
            }
        }
    }

    [GeneratedRegex("\"level\"\\s*:")]
    private static partial Regex LevelSetting();
}
