using ModelStream.Simulator;
using StartFrame.IntegrationTests.Infrastructure;

namespace StartFrame.IntegrationTests.Cli;

/// <summary>The CLI's console is quiet by default — the outcome says what happened once — and <c>--verbose</c> shows the core's logs.</summary>
[Collection(StorageCollection.Name)]
public sealed class ConsoleLogsTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_refusal_prints_its_outcome_and_no_log_line()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        harness.Simulator.AddFaults(new SimulatedFault { Status = 402 });

        var run = await CliProcess.RunAsync(harness.Settings, "submit", "https://images.example.com/frames/quiet.png");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("insufficient_user_quota", run.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("", run.StandardError);
    }

    [Fact]
    public async Task An_outage_prints_no_retry_log_and_no_stack_trace()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        harness.Simulator.AddFaults(new SimulatedFault { Status = 503, Times = 0 });

        var run = await CliProcess.RunAsync(harness.Settings, "submit", "https://images.example.com/frames/outage.png");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("unavailable", run.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("", run.StandardError);
    }

    [Fact]
    public async Task Verbose_shows_the_cores_logs_on_stderr()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        harness.Simulator.AddFaults(new SimulatedFault { Status = 402 });

        var run = await CliProcess.RunAsync(harness.Settings, "submit", "https://images.example.com/frames/loud.png", "--verbose");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ModelStream refused https://images.example.com/frames/loud.png for good (status 402, insufficient_user_quota)", run.StandardError, StringComparison.Ordinal);
    }
}
