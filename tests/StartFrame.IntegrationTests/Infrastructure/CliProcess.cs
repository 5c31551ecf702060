using System.Diagnostics;

namespace StartFrame.IntegrationTests.Infrastructure;

/// <summary>Runs the real <c>startframe</c> CLI as a process with the harness's settings in its environment.</summary>
public static class CliProcess
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    public static Task<Result> RunAsync(IReadOnlyDictionary<string, string?> settings, params string[] arguments) =>
        RunAsync(settings, TimeSpan.FromMinutes(2), arguments);

    public static async Task<Result> RunAsync(IReadOnlyDictionary<string, string?> settings, TimeSpan timeout, params string[] arguments)
    {
        using var process = Start(settings, arguments);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(deadline.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts the CLI and returns at once, for tests that stop it midway (its output is redirected, unread).</summary>
    public static Process Start(IReadOnlyDictionary<string, string?> settings, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "startframe.dll"));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // A null value removes the variable: how a test runs the CLI with a setting missing.
        foreach (var (key, value) in settings)
        {
            var name = key.Replace(":", "__", StringComparison.Ordinal);
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        return Process.Start(info)!;
    }
}
