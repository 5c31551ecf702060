using System.Diagnostics;
using StartFrame.LocalDev.Progress;

namespace StartFrame.LocalDev;

/// <summary>Installs a pinned npm project (npm ci from its lock file) once, safely across concurrent callers.</summary>
public static class NpmProject
{
    /// <summary>Runs <c>npm ci</c> in <paramref name="folder"/> unless <paramref name="marker"/> already exists there.</summary>
    public static async Task EnsureInstalledAsync(string folder, string marker, Action<string> log, CancellationToken cancellationToken)
    {
        if (File.Exists(Path.Combine(folder, marker)))
        {
            return;
        }

        // Two test assemblies may start at once: a lock file keeps them from running npm ci on top of each other.
        var lockPath = Path.Combine(folder, ".install.lock");
        await using var gate = await AcquireAsync(lockPath, cancellationToken).ConfigureAwait(false);
        if (File.Exists(Path.Combine(folder, marker)))
        {
            return;
        }

        // npm ci prints nothing for a minute on a first run: say what it is doing and how long it has taken.
        var npm = OperatingSystem.IsWindows() ? "npm.cmd" : "npm";
        var output = new List<string>();
        await using var beat = Heartbeat.Start($"npm ci in {folder} (first run only, about a minute)", log);
        await using var child = ChildProcess.Start(npm, ["ci", "--no-audit", "--no-fund"], folder, line => { lock (output) { output.Add(line); } });
        var exit = await child.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (exit != 0)
        {
            throw new InvalidOperationException(
                $"npm ci failed in {folder} (exit {exit}). Is Node.js 20+ with npm on PATH?{Environment.NewLine}{string.Join(Environment.NewLine, output.TakeLast(20))}");
        }

        beat.Done();
    }

    private static async Task<FileStream> AcquireAsync(string path, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (waited.Elapsed < TimeSpan.FromMinutes(5))
            {
                // Another process holds the install lock; it is installing right now.
                await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
