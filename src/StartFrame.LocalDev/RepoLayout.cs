namespace StartFrame.LocalDev;

/// <summary>Where things are in a clone of the repo, found from the working directory, the running binary or a folder given.</summary>
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
    public static RepoLayout Find() => TryFind() ?? throw new DirectoryNotFoundException(
        "Could not find the StartFrame repo (a folder with Functions.sln) above the current directory; run from inside the clone.");

    /// <summary>The clone above the current directory, else above the running binary (a build inside the clone); null
    /// when neither is in one — an installed <c>startframe</c> tool run outside its clone.</summary>
    public static RepoLayout? TryFind()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            if (Above(start) is { } layout)
            {
                return layout;
            }
        }

        return null;
    }

    /// <summary>The clone holding <paramref name="folder"/> (the folder itself or one above it), or null.</summary>
    public static RepoLayout? Above(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        for (var dir = new DirectoryInfo(Path.GetFullPath(folder)); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Functions.sln")))
            {
                return new RepoLayout(dir.FullName);
            }
        }

        return null;
    }
}
