using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace StartFrame.IntegrationTests.Infrastructure;

/// <summary>
/// <c>startframe dev --json</c> as a real process, as a user runs it: its JSON lines read as they come, signals sent to it
/// by process id, and the processes it started found under it in /proc (Linux).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DevProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _stderr = [];

    private DevProcess(Process process)
    {
        _process = process;
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (_stderr) { _stderr.Add(e.Data); } } };
        process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public int ExitCode => _process.ExitCode;

    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return string.Join(Environment.NewLine, _stderr);
            }
        }
    }

    /// <summary>Starts <c>startframe dev --json</c> with <paramref name="arguments"/> and <paramref name="environment"/> added to this process's.</summary>
    public static DevProcess Start(IReadOnlyDictionary<string, string>? environment, params string[] arguments)
        => Start(["dotnet", Path.Combine(AppContext.BaseDirectory, "startframe.dll")], null, environment, arguments);

    /// <summary>Starts <c>dev --json</c> through <paramref name="startframe"/> (the built DLL under dotnet, or an installed tool),
    /// in <paramref name="workingDirectory"/> (null: this process's).</summary>
    public static DevProcess Start(string[] startframe, string? workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        // env --default-signal=INT: a test run started from a background shell inherits an ignored SIGINT, which .NET keeps
        // ignored; a terminal's Ctrl-C reaches a process whose SIGINT is at its default, as here.
        var info = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null)
        {
            info.WorkingDirectory = workingDirectory;
        }

        foreach (var argument in new[] { "--default-signal=INT" }.Concat(startframe).Concat(["dev", "--json"]).Concat(arguments))
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        return new DevProcess(Process.Start(info)!);
    }

    /// <summary>Reads stdout up to the next line whose <c>event</c> is <paramref name="eventName"/> (or whose other fields match too).</summary>
    public async Task<JsonObject> NextAsync(string eventName, Func<JsonObject, bool>? match = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3)); // a first run builds the simulator
        while (await _process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            var json = JsonNode.Parse(line)!.AsObject();
            if (json["event"]!.GetValue<string>() == eventName && (match is null || match(json)))
            {
                return json;
            }
        }

        throw new InvalidOperationException($"dev ended before its '{eventName}' line: {StandardError}");
    }

    /// <summary>Sends <paramref name="signal"/> (INT, TERM) to dev's process id.</summary>
    public void Signal(string signal)
    {
        using var kill = Process.Start("kill", ["-s", signal, _process.Id.ToString(CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }

    public async Task WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(timeout.Token);
    }

    /// <summary>Every process below dev: what it started, and what those started (dotnet run's simulator).</summary>
    public IReadOnlyList<int> Descendants()
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var child) && ReadStat(child) is { } stat)
            {
                parents[child] = stat.Parent;
            }
        }

        var found = new List<int>();
        var frontier = new Queue<int>([_process.Id]);
        while (frontier.TryDequeue(out var parent))
        {
            foreach (var child in parents.Where(p => p.Value == parent).Select(p => p.Key))
            {
                found.Add(child);
                frontier.Enqueue(child);
            }
        }

        return found;
    }

    /// <summary>True while <paramref name="pid"/> is a live process (a zombie has ended).</summary>
    public static bool IsRunning(int pid) => ReadStat(pid) is { } stat && stat.State != 'Z';

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private static (char State, int Parent)? ReadStat(int pid)
    {
        try
        {
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (fields[0][0], int.Parse(fields[1], CultureInfo.InvariantCulture));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null; // gone
        }
    }
}
