using System.CommandLine;

namespace StartFrame.IntegrationTests.Cli;

/// <summary>Runs one command under a root, as <c>startframe</c> would, capturing output, error and exit code.</summary>
internal static class CliRunner
{
    public static CliRun Run(Command command, params string[] args)
    {
        var root = new RootCommand("startframe (test)");
        root.Subcommands.Add(command);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>An environment holding only <paramref name="variables"/>, so tests never depend on the machine's.</summary>
    public static Func<string, string?> Environment(params (string Name, string Value)[] variables)
        => name => variables.FirstOrDefault(v => v.Name == name).Value;
}

internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    public string[] OutputLines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>A scratch directory for one test class's files, deleted afterwards.</summary>
public sealed class ScratchDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("startframe-cli-").FullName;

    public string Write(string name, string text) => Write(name, System.Text.Encoding.UTF8.GetBytes(text));

    public string Write(string name, byte[] bytes)
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllBytes(file, bytes);
        return file;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
