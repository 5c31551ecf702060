using StartFrame.Cli;
using StartFrame.IntegrationTests.Infrastructure;

namespace StartFrame.IntegrationTests.Cli;

/// <summary>
/// The one exit-code rule (docs/cli.md), held for every command, run as the real CLI: 2 when what was given is refused (the
/// same command line would be refused again), 1 when something outside the command line failed (a setting, Node.js,
/// storage) — each as one line on stderr naming the option, argument or setting. A new command fails the first test until
/// it has a case of each here.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class ExitCodeRuleTests(AzuriteFixture azurite) : IDisposable
{
    private const string Garbage = "garbage";
    private const string NoNode = "/nonexistent";
    private readonly ScratchDirectory _files = new();

    /// <summary>Refused for what was given: exit 2 (command line; what the line must contain).</summary>
    public static TheoryData<string[], string> Refused => new()
    {
        { ["upload", "{files}/no-such.png"], "no-such.png" },
        { ["submit", "start-frames/x.png", "--set", "duration=99"], "duration" },
        { ["status", "no-such-task"], "no task 'no-such-task'" },
        { ["download", "no-such-task", "-o", "{files}/x.mp4"], "no task 'no-such-task'" },
        { ["track", "--until-idel"], "did you mean --until-idle?" },
        { ["tasks", "--state", "nope"], "--state: 'nope' is not a ledger state" },
        { ["failures", "--interval", "00:00:00"], "--interval" },
        { ["records", "--task"], "did you mean --tasks?" },
        { ["process", "start-frames/no-such.png"], "there is no blob start-frames/no-such.png" },
        { ["redrive", "uploads/x.png"], "is not start-frames/<blob>" },
        { ["validate", "{files}/invalid.json"], "out_of_range" },
        { ["models", "--jsn"], "did you mean --json?" },
        { ["demo", "--repo", "{files}"], "--repo: '" },
        { ["dev", "--mode", "func"], "--mode func needs Azure Functions Core Tools" },
    };

    /// <summary>Failed outside the command line: exit 1 (command line, the setting it runs with, what the line must contain).</summary>
    public static TheoryData<string[], string, string> Failed => new()
    {
        { ["upload", "{files}/cat.png"], "AzureWebJobsStorage", Garbage },
        { ["submit", "https://images.example.com/a.png"], "AzureWebJobsStorage", Garbage },
        { ["status", "t1"], "AzureWebJobsStorage", Garbage },
        { ["download", "t1", "-o", "{files}/x.mp4"], "AzureWebJobsStorage", Garbage },
        { ["track", "--until-idle"], "AzureWebJobsStorage", Garbage },
        { ["tasks"], "AzureWebJobsStorage", Garbage },
        { ["failures"], "AzureWebJobsStorage", Garbage },
        { ["records"], "AzureWebJobsStorage", Garbage },
        { ["process", "start-frames/a.png"], "AzureWebJobsStorage", Garbage },
        { ["redrive", "start-frames/a.png"], "AzureWebJobsStorage", Garbage },
        { ["validate", "{files}/cat.json"], "StartFrame__CatalogPath", "{files}/no-such-catalog.json" },
        { ["models"], "StartFrame__CatalogPath", "{files}/no-such-catalog.json" },
        { ["demo", "-o", "{files}"], "PATH", NoNode },
        { ["dev", "--ports", "free", "--mode", "in-process"], "PATH", NoNode },
    };

    [Fact]
    public void Every_command_has_a_case_of_each_exit_code()
    {
        var commands = CliApp.CreateRoot().Subcommands.Select(c => c.Name).Order().ToList();

        Assert.Equal(commands, Refused.Select(row => ((string[])row[0])[0]).Distinct().Order());
        Assert.Equal(commands, Failed.Select(row => ((string[])row[0])[0]).Distinct().Order());
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task What_is_refused_for_what_was_given_exits_2_in_one_line(string[] command, string says)
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var settings = new Dictionary<string, string?>(harness.Settings) { ["PATH"] = NoNode }; // no func: dev --mode func is refused

        var run = await CliProcess.RunAsync(settings, TimeSpan.FromMinutes(2), Files(command));

        Assert.True(run.ExitCode == 2, $"startframe {string.Join(' ', command)} exited {run.ExitCode}: {run.StandardOutput}{run.StandardError}");
        // A refused command line is one line on stderr; a refused input is the command's own report (validate's errors,
        // submit's and process's outcome), which may be on stdout.
        Assert.Contains(ErrorLines(run).Concat(run.StandardOutput.Split('\n')), line => line.Contains(says, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Failed))]
    public async Task What_fails_outside_the_command_line_exits_1_in_one_line_naming_the_setting(string[] command, string setting, string value)
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var settings = new Dictionary<string, string?>(harness.Settings) { [setting] = Files([value])[0] };

        var run = await CliProcess.RunAsync(settings, TimeSpan.FromMinutes(2), Files(command));

        Assert.True(run.ExitCode == 1, $"startframe {string.Join(' ', command)} exited {run.ExitCode}: {run.StandardOutput}{run.StandardError}");
        var line = Assert.Single(ErrorLines(run));
        Assert.Contains(setting == "PATH" ? "install Node.js 20+" : setting, line, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_storage_setting_names_the_setting_and_the_forms_it_takes()
    {
        var run = await CliProcess.RunAsync(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = Garbage }, "tasks");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("AzureWebJobsStorage is not a storage connection string", run.StandardError, StringComparison.Ordinal);
        Assert.Contains("UseDevelopmentStorage=true", run.StandardError, StringComparison.Ordinal);
        Assert.Contains("AzureWebJobsStorage__accountName", run.StandardError, StringComparison.Ordinal);
    }

    public void Dispose() => _files.Dispose();

    // The lines for people on stderr; dev's and demo's steps ("==> …", indented details) are not error lines.
    private static List<string> ErrorLines(CliProcess.Result run) =>
        [.. run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => !l.StartsWith("==>", StringComparison.Ordinal))];

    private string[] Files(string[] arguments)
    {
        _files.Write("cat.png", TestImages.Png(640, 360));
        _files.Write("cat.json", Sidecars.Valid);
        _files.Write("invalid.json", """{"duration": 11}""");
        return [.. arguments.Select(a => a.Replace("{files}", _files.Path, StringComparison.Ordinal))];
    }
}
