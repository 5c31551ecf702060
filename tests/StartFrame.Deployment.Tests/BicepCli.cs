using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace StartFrame.Deployment.Tests;

/// <summary>
/// The real Bicep CLI. On linux-x64 it comes from the Azure.Bicep.CommandLine.linux-x64 package this project downloads
/// at restore (its path is in the assembly metadata); elsewhere from PATH or the Azure CLI's copy (~/.azure/bin).
/// </summary>
internal static class BicepCli
{
    private static readonly Lazy<string> s_path = new(Locate);

    public sealed record Run(int ExitCode, string StandardOutput, string StandardError);

    /// <summary>Runs <c>bicep</c> with <paramref name="arguments"/> in <paramref name="workingDirectory"/>.</summary>
    public static Run Invoke(string workingDirectory, params string[] arguments)
    {
        var info = new ProcessStartInfo(s_path.Value)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), $"bicep {string.Join(' ', arguments)} did not finish in 3 minutes.");
        return new Run(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>
    /// The findings of SARIF logs (<c>--diagnostics-format sarif</c>; with <c>--pattern</c> one log per file, back to back),
    /// one line each: <c>file(line,col) rule: message</c>.
    /// </summary>
    public static IReadOnlyList<string> Findings(string sarif)
    {
        var findings = new List<string>();
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(sarif), new JsonReaderOptions { AllowMultipleValues = true });
        while (JsonDocument.TryParseValue(ref reader, out var document))
        {
            using (document)
            {
                foreach (var run in document.RootElement.GetProperty("runs").EnumerateArray())
                {
                    findings.AddRange(run.GetProperty("results").EnumerateArray().Select(Describe));
                }
            }
        }

        return findings;
    }

    private static string Describe(JsonElement result)
    {
        var location = result.GetProperty("locations")[0].GetProperty("physicalLocation");
        var file = Path.GetRelativePath(RepoFiles.Root, new Uri(location.GetProperty("artifactLocation").GetProperty("uri").GetString()!).LocalPath);
        var region = location.GetProperty("region");
        return $"{file}({region.GetProperty("startLine")},{region.GetProperty("charOffset")}) {result.GetProperty("ruleId")}: {result.GetProperty("message").GetProperty("text")}";
    }

    private static string Locate()
    {
        var fromPackage = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "BicepCli")?.Value;
        if (fromPackage is not null)
        {
            Assert.True(File.Exists(fromPackage), $"The Bicep CLI package is restored but {fromPackage} is missing; run dotnet restore.");
            EnsureExecutable(fromPackage);
            return fromPackage;
        }

        var name = OperatingSystem.IsWindows() ? "bicep.exe" : "bicep";
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".azure", "bin"))
            .Select(dir => Path.Combine(dir, name));
        var found = candidates.FirstOrDefault(File.Exists);
        Assert.True(found is not null,
            $"No Bicep CLI: this project downloads it only on linux-x64; here put 'bicep' on PATH (az bicep install, or https://aka.ms/bicep-install).");
        return found!;
    }

    /// <summary>NuGet extracts files with the archive's mode; make sure the owner may run the binary.</summary>
    private static void EnsureExecutable(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var mode = File.GetUnixFileMode(path);
        if (!mode.HasFlag(UnixFileMode.UserExecute))
        {
            File.SetUnixFileMode(path, mode | UnixFileMode.UserExecute);
        }
    }
}
