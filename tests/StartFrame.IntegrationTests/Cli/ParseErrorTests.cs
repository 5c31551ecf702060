using StartFrame.IntegrationTests.Infrastructure;

namespace StartFrame.IntegrationTests.Cli;

/// <summary>A command line the parser refuses is rejected input like any other: one line naming the option and what it takes, exit 2.</summary>
public sealed class ParseErrorTests
{
    [Theory]
    [InlineData("startframe dev: --ports: Argument 'x' not recognized. Must be one of: default, free; see startframe dev --help", "dev", "--ports", "x")]
    [InlineData("startframe status: --interval: 'soon' is not a duration like 00:00:30 (hh:mm:ss); see startframe status --help", "status", "t1", "--wait", "--interval", "soon")]
    [InlineData("startframe status: <taskId>: Required argument missing for command: 'status'; see startframe status --help", "status")]
    [InlineData("startframe: 'stauts' is not a startframe command; did you mean status? see startframe --help", "stauts")]
    [InlineData("startframe upload: --prefx is not an option of upload; did you mean --prefix? see startframe upload --help", "upload", "--prefx", "x")]
    [InlineData("startframe upload: --prefx is not an option of upload; did you mean --prefix? see startframe upload --help", "upload", "pic.png", "--prefx")]
    [InlineData("startframe tasks: --limt is not an option of tasks; did you mean --limit? see startframe tasks --help", "tasks", "--limt", "5")]
    public async Task A_refused_command_line_is_one_line_naming_what_is_wrong_with_exit_2(string line, params string[] arguments)
    {
        var run = await CliProcess.RunAsync(new Dictionary<string, string?>(), arguments);

        Assert.Equal((2, "", line), (run.ExitCode, run.StandardOutput, run.StandardError.TrimEnd()));
    }
}
