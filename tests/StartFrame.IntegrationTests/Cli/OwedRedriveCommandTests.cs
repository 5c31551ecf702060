using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using StartFrame.Core.WaysIn;
using StartFrame.IntegrationTests.Infrastructure;

namespace StartFrame.IntegrationTests.Cli;

/// <summary><c>startframe redrive --owed</c>, run as the real CLI process: the sweep of OwedRecordsDue, now.</summary>
[Collection(StorageCollection.Name)]
public sealed class OwedRedriveCommandTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Owed_redrive_writes_the_record_a_queue_outage_left_owed_once_and_never_submits()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        await harness.UploadImageAsync("owed-cli/cat.png", TestImages.Png(640, 360));
        harness.StorageFaults.FailWhen(m => m.Request.Uri.Path.EndsWith("/video-tasks/messages", StringComparison.Ordinal));
        var api = harness.Services.GetRequiredService<IVideoApi>();
        var accepted = await HttpCall.RunAsync(api.SubmitAsync(HttpCall.Post("""{"blob": "start-frames/owed-cli/cat.png"}"""), CancellationToken.None));
        harness.StorageFaults.Heal();
        var taskId = accepted.Json["taskId"]!.GetValue<string>();

        var dry = await CliProcess.RunAsync(harness.Settings, "redrive", "--owed", "--dry-run");
        var queuedAfterDryRun = await PipelineHarness.PeekAllAsync(harness.Tasks);
        var run = await CliProcess.RunAsync(harness.Settings, "redrive", "--owed", "--json");
        var rerun = await CliProcess.RunAsync(harness.Settings, "redrive", "--owed");

        // Redirected, so JSON lines as with --json; the summary goes to stderr.
        Assert.True(dry.ExitCode == 0, dry.StandardError);
        var planned = JsonNode.Parse(Assert.Single(dry.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)))!;
        Assert.Equal(("would_write", "start-frames/owed-cli/cat.png", taskId), (planned["outcome"]!.GetValue<string>(), planned["subject"]!.GetValue<string>(), planned["taskId"]!.GetValue<string>()));
        Assert.Equal("1 owed record would be written; dry run, nothing changed.", dry.StandardError.Trim());
        Assert.Empty(queuedAfterDryRun);

        Assert.True(run.ExitCode == 0, run.StandardError);
        var line = JsonNode.Parse(Assert.Single(run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)))!;
        Assert.Equal(("written", taskId, "video-tasks"), (line["outcome"]!.GetValue<string>(), line["taskId"]!.GetValue<string>(), line["queue"]!.GetValue<string>()));
        Assert.Contains("1 owed written, 0 already settled, 0 still owed", run.StandardError, StringComparison.Ordinal);
        Assert.Equal(taskId, Assert.Single(await PipelineHarness.PeekAllAsync(harness.Tasks))["taskId"]!.GetValue<string>());

        Assert.True(rerun.ExitCode == 0, rerun.StandardError);
        Assert.Empty(rerun.StandardOutput);
        Assert.Equal("Nothing is owed (table startframeowed is empty).", rerun.StandardError.Trim());
        Assert.Equal(1, harness.Simulator.PostCount);
    }

    [Fact]
    public async Task Owed_stands_alone()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);

        var withBlob = await CliProcess.RunAsync(harness.Settings, "redrive", "start-frames/a.png", "--owed");
        var withForce = await CliProcess.RunAsync(harness.Settings, "redrive", "--owed", "--force");

        Assert.Equal(2, withBlob.ExitCode);
        Assert.Equal("redrive: --owed stands alone: give it without a blob, --poison or --dead-letter.", withBlob.StandardError.Trim());
        Assert.Equal(2, withForce.ExitCode);
        Assert.Equal("redrive: --force and --again apply to a blob; --owed only writes records, it never submits.", withForce.StandardError.Trim());
    }
}
