using System.Diagnostics;
using System.Reflection;
using StartFrame.IntegrationTests.Infrastructure;
using StartFrame.LocalDev;

namespace StartFrame.IntegrationTests.Cli;

/// <summary>
/// <c>startframe</c> as a .NET tool, as the README installs it: packed from the clone, installed with <c>dotnet tool
/// install</c> (into a scratch tool path, from the package alone), answering as a command of its own; run outside the clone,
/// <c>demo</c> and <c>dev</c> say how to name it, and run it through <c>--repo</c>.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ToolPackageTests(ToolPackageTests.InstalledTool tool) : IClassFixture<ToolPackageTests.InstalledTool>
{
    [Fact]
    public async Task The_installed_tool_answers_help_with_every_command()
    {
        var run = await tool.RunAsync(tool.Scratch, "--help");

        Assert.True(run.ExitCode == 0, run.StandardOutput + run.StandardError);
        Assert.Contains("startframe", run.StandardOutput, StringComparison.Ordinal);
        Assert.All(StartFrame.Cli.CliApp.CreateRoot().Subcommands, c => Assert.Contains($"  {c.Name} ", run.StandardOutput, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("demo")]
    [InlineData("dev")]
    public async Task Outside_a_clone_demo_and_dev_say_to_run_inside_it_or_pass_repo_with_exit_2(string command)
    {
        var run = await tool.RunAsync(tool.Scratch, command);

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains("--repo", StringComparison.Ordinal));
        Assert.StartsWith($"{command}: the current folder is not in a clone of the StartFrame repo", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dev_from_the_installed_tool_runs_the_clone_named_by_repo_and_stops_on_ctrl_c()
    {
        using var dev = DevProcess.Start([tool.Command], tool.Scratch, null, "--repo", RepoLayout.Find().Root, "--ports", "free", "--mode", "in-process");

        var ready = await dev.NextAsync("ready");
        dev.Signal("INT");
        var stopped = await dev.NextAsync("stopped");
        await dev.WaitForExitAsync();

        Assert.Equal("in-process", ready["mode"]!.GetValue<string>());
        Assert.Equal(0, stopped["exitCode"]!.GetValue<int>());
    }

    /// <summary>The CLI packed (from this build, <c>--no-build</c>) and installed into a scratch tool path, once per class.</summary>
    public sealed class InstalledTool : IAsyncLifetime, IDisposable
    {
        private static readonly string Configuration =
            typeof(ToolPackageTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

        private readonly ScratchDirectory _scratch = new();

        /// <summary>A folder outside any clone, for runs that must not find one.</summary>
        public string Scratch => Path.Combine(_scratch.Path, "elsewhere");

        /// <summary>The installed command.</summary>
        public string Command => Path.Combine(_scratch.Path, "tools", "startframe");

        public async Task InitializeAsync()
        {
            Directory.CreateDirectory(Scratch);
            var packages = Path.Combine(_scratch.Path, "package");
            var project = Path.Combine(RepoLayout.Find().Root, "src", "StartFrame.Cli", "StartFrame.Cli.csproj");
            await MustSucceedAsync("dotnet", ["pack", project, "-c", Configuration, "--no-build", "-o", packages, "-nologo"]);

            // Only the package just made is a source, and NuGet's caches are the scratch folder's: nothing is fetched, and an
            // older StartFrame.Cli of the same version in the user's cache cannot stand in for this one.
            var config = _scratch.Write("nuget.config", $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration><packageSources><clear /><add key="startframe" value="{packages}" /></packageSources></configuration>
                """);
            await MustSucceedAsync("dotnet", ["tool", "install", "--tool-path", Path.Combine(_scratch.Path, "tools"), "--configfile", config, "StartFrame.Cli"]);
        }

        public Task DisposeAsync() => Task.CompletedTask;

        public void Dispose() => _scratch.Dispose();

        public Task<CliProcess.Result> RunAsync(string workingDirectory, params string[] arguments) => RunAsync(Command, arguments, workingDirectory);

        private async Task MustSucceedAsync(string file, string[] arguments)
        {
            var run = await RunAsync(file, arguments, _scratch.Path);
            Assert.True(run.ExitCode == 0, $"{file} {string.Join(' ', arguments)} exited {run.ExitCode}: {run.StandardOutput}{run.StandardError}");
        }

        private async Task<CliProcess.Result> RunAsync(string file, string[] arguments, string workingDirectory)
        {
            var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
            info.Environment["NUGET_PACKAGES"] = Path.Combine(_scratch.Path, "nuget-packages");
            info.Environment["NUGET_HTTP_CACHE_PATH"] = Path.Combine(_scratch.Path, "nuget-http");
            foreach (var argument in arguments)
            {
                info.ArgumentList.Add(argument);
            }

            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            await process.WaitForExitAsync(deadline.Token);
            return new CliProcess.Result(process.ExitCode, await stdout, await stderr);
        }
    }
}
