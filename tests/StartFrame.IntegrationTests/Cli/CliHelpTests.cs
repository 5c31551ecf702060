using System.CommandLine;
using StartFrame.Cli;

namespace StartFrame.IntegrationTests.Cli;

/// <summary>What every command promises a person or a script before it runs: help with an example, and <c>--json</c>.</summary>
public sealed class CliHelpTests
{
    public static TheoryData<string> Commands => ["upload", "submit", "status", "download", "track", "tasks", "failures", "records", "process", "redrive", "validate", "models", "demo", "dev"];

    public static TheoryData<string> CommandsTakingJson => Commands;

    [Theory]
    [MemberData(nameof(Commands))]
    public void Help_shows_at_least_one_example(string command)
    {
        var run = Invoke(command, "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Example", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(CommandsTakingJson))]
    public void Json_is_accepted(string command)
    {
        var parse = CliApp.CreateRoot().Parse([command, "--json"]);

        Assert.DoesNotContain(parse.Errors, e => e.Message.Contains("--json", StringComparison.Ordinal));
    }

    private static CliRun Invoke(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = CliApp.CreateRoot().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }
}
