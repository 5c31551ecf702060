using System.Diagnostics;
using System.Text;

namespace StartFrame.IntegrationTests.Infrastructure;

/// <summary>
/// The real <c>startframe</c> CLI running as a process, read line by line while it runs, so a test can wait for what it
/// prints (an explicit signal) before it changes the world under it — no sleeps.
/// </summary>
public sealed class RunningCli : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly Lock _gate = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Seen)> _waiters = [];

    private RunningCli(Process process) => _process = process;

    public static RunningCli Start(IReadOnlyDictionary<string, string?> settings, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "startframe.dll"));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in settings)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var cli = new RunningCli(process);
        process.OutputDataReceived += (_, e) => cli.Received(e.Data, cli._output);
        process.ErrorDataReceived += (_, e) => cli.Received(e.Data, cli._error);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>Completes with the first stdout line matching <paramref name="match"/> (one already printed counts).</summary>
    public Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            var earlier = _output.ToString().Split('\n').FirstOrDefault(match);
            if (earlier is not null)
            {
                return Task.FromResult(earlier);
            }

            _waiters.Add((match, seen));
        }

        return seen.Task.WaitAsync(timeout);
    }

    /// <summary>Waits for the process to end and returns what it printed.</summary>
    public async Task<CliProcess.Result> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(deadline.Token);
        lock (_gate)
        {
            return new CliProcess.Result(_process.ExitCode, _output.ToString(), _error.ToString());
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.Dispose();
    }

    private void Received(string? line, StringBuilder into)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            into.Append(line).Append('\n');
            if (!ReferenceEquals(into, _output))
            {
                return;
            }

            foreach (var waiter in _waiters.Where(w => w.Match(line)).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Seen.TrySetResult(line);
            }
        }
    }
}
