namespace StartFrame.LocalDev;

/// <summary>Where things are in a clone of the repo, found from the working directory or the running binary.</summary>
public sealed class RepoLayout
{
    private RepoLayout(string root) => Root = root;

    /// <summary>The folder holding Functions.sln.</summary>
    public string Root { get; }

    /// <summary>The npm project that pins Azurite (package.json + package-lock.json).</summary>
    public string AzuriteNpmProject => Path.Combine(Root, "src", "StartFrame.LocalDev", "azurite");

    /// <summary>The simulator's project file.</summary>
    public string SimulatorProject => Path.Combine(Root, "src", "ModelStream.Simulator", "ModelStream.Simulator.csproj");

    /// <summary>The function app's project folder.</summary>
    public string FunctionsProject => Path.Combine(Root, "src", "StartFrame.Functions");

    /// <summary>The Functions host configuration (trigger settings the in-process host copies).</summary>
    public string HostJson => Path.Combine(Root, "host.json");

    /// <summary>The sample start frame shipped with the repo.</summary>
    public string SamplesFolder => Path.Combine(Root, "src", "StartFrame.LocalDev", "samples");

    /// <summary>Finds the repo from the current directory, then from the running binary's folder.</summary>
    /// <exception cref="DirectoryNotFoundException">Neither is inside a clone of the repo.</exception>
    public static RepoLayout Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Functions.sln")))
                {
                    return new RepoLayout(dir.FullName);
                }
            }
        }

        throw new DirectoryNotFoundException(
            "Could not find the StartFrame repo (a folder with Functions.sln) above the current directory; run from inside the clone.");
    }
}
