using System.CommandLine;
using StartFrame.LocalDev;

namespace StartFrame.Cli.Commands.Local;

/// <summary>
/// The clone of the repo that <c>demo</c> and <c>dev</c> run from: Azurite's npm lock, the sample frame, the simulator and
/// the function app are files of the clone, not of the installed tool. The clone holding the current folder, or
/// <c>--repo</c>.
/// </summary>
internal static class LocalClone
{
    public static Option<string?> CreateOption(string command) => new("--repo")
    {
        Description = $"The folder of your StartFrame clone, whose files {command} runs (Azurite's npm lock, the sample, the simulator, " +
            "the function app); default: the clone holding the current folder.",
        HelpName = "folder",
    };

    /// <summary>The clone <paramref name="repo"/> names, or the one holding the current folder (or this build); null and the
    /// one line to print (exit 2) when there is none.</summary>
    public static RepoLayout? Resolve(string command, string? repo, out string? problem)
    {
        var layout = repo is null ? RepoLayout.TryFind() : Directory.Exists(repo) ? RepoLayout.Above(repo) : null;
        problem = layout is not null
            ? null
            : repo is null
                ? $"{command}: the current folder is not in a clone of the StartFrame repo (no Functions.sln in it or above it); " +
                  "cd into your clone, or pass --repo <folder of the clone>."
                : $"{command}: --repo: '{repo}' is not a clone of the StartFrame repo (no Functions.sln in it or above it); " +
                  "give the folder you cloned it into.";
        return layout;
    }
}
