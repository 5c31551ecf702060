using System.Text.Json.Nodes;
using ModelStream.Simulator;
using StartFrame.IntegrationTests.Infrastructure;

namespace StartFrame.IntegrationTests.Cli;

/// <summary>The <c>process</c> and <c>redrive</c> commands, run as the real CLI process against Azurite and the simulator.</summary>
[Collection(StorageCollection.Name)]
public sealed class ProcessAndRedriveCommandTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Process_prints_one_outcome_per_blob_and_exits_0_when_all_were_submitted_or_done()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        await harness.UploadSidecarAsync("cli/a.json", Sidecars.Valid);
        await harness.UploadImageAsync("cli/a.png", TestImages.Png(640, 360));

        var run = await CliProcess.RunAsync(harness.Settings, "process", "start-frames/cli/a.png", "start-frames/cli/a.png");

        Assert.True(run.ExitCode == 0, run.StandardError);
        var lines = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(["submitted", "already_submitted"], lines.Select(l => l["status"]!.GetValue<string>()));
        Assert.Equal(1, harness.Simulator.PostCount);
    }

    [Fact]
    public async Task Process_json_prints_the_record_as_it_is_with_no_unicode_escapes()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        await harness.UploadSidecarAsync("cli/猫.json", """{"prompt": "猫 says \"hi\" <3"}""");
        await harness.UploadImageAsync("cli/猫.png", TestImages.Png(640, 360));

        var run = await CliProcess.RunAsync(harness.Settings, "process", "start-frames/cli/猫.png", "--json");

        Assert.True(run.ExitCode == 0, run.StandardError);
        var line = Assert.Single(run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("\"prompt\":\"猫 says \\\"hi\\\" <3\"", line, StringComparison.Ordinal);
        Assert.Contains("+00:00\"", line, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_exits_2_with_a_one_line_error_for_a_malformed_address()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);

        var run = await CliProcess.RunAsync(harness.Settings, "process", "no-container-here");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("is not start-frames/<blob>", Assert.Single(run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_of_a_blob_that_does_not_exist_is_not_found_with_exit_2()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);

        var run = await CliProcess.RunAsync(harness.Settings, "process", "start-frames/cli/nope.png", "--json");

        Assert.Equal(2, run.ExitCode);
        var line = JsonNode.Parse(Assert.Single(run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)))!;
        Assert.Equal(("not_found", "start-frames/cli/nope.png"), (line["status"]!.GetValue<string>(), line["subject"]!.GetValue<string>()));
        Assert.Empty(await PipelineHarness.PeekAllAsync(harness.Failures));
    }

    [Fact]
    public async Task Process_of_a_folder_written_without_its_slash_says_how_to_write_it_and_writes_no_failure_record()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        await harness.UploadSidecarAsync("batch1/a.json", Sidecars.Valid);
        await harness.UploadImageAsync("batch1/a.png", TestImages.Png(640, 360));

        var run = await CliProcess.RunAsync(harness.Settings, "process", "start-frames/batch1", "--json");

        Assert.Equal(2, run.ExitCode);
        var line = JsonNode.Parse(run.StandardOutput)!;
        Assert.Equal("not_found", line["status"]!.GetValue<string>());
        Assert.Contains("write start-frames/batch1/", line["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(await PipelineHarness.PeekAllAsync(harness.Failures));
        Assert.Equal(0, harness.Simulator.PostCount);
    }

    [Fact]
    public async Task Process_of_a_folder_runs_every_image_under_it_and_says_what_it_skipped()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        foreach (var stem in new[] { "batch1/a", "batch1/b", "batch1/deeper/c", "batch10/not-this-one" })
        {
            await harness.UploadSidecarAsync(stem + ".json", Sidecars.Valid);
            await harness.UploadImageAsync(stem + ".png", TestImages.Png(640, 360));
        }

        await harness.UploadSidecarAsync("batch1/notes.txt", "not a frame");

        var run = await CliProcess.RunAsync(harness.Settings, "process", "start-frames/batch1/", "--json");

        Assert.True(run.ExitCode == 0, run.StandardOutput + run.StandardError);
        var lines = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        string[] expected =
        [
            "skipped start-frames/batch1/a.json", "submitted start-frames/batch1/a.png", "skipped start-frames/batch1/b.json",
            "submitted start-frames/batch1/b.png", "skipped start-frames/batch1/deeper/c.json", "submitted start-frames/batch1/deeper/c.png",
            "skipped start-frames/batch1/notes.txt",
        ];
        Assert.Equal(expected, lines.Select(l => $"{l["status"]!.GetValue<string>()} {l["subject"]!.GetValue<string>()}"));
        Assert.Equal(3, harness.Simulator.PostCount);
        Assert.Empty(await PipelineHarness.PeekAllAsync(harness.Failures));
        Assert.Contains("3 images processed; skipped 3 sidecars (read with their images) and 1 other blob", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_of_a_folder_without_images_is_not_found_with_exit_2()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);

        var run = await CliProcess.RunAsync(harness.Settings, "process", "start-frames/empty/");

        Assert.Equal(2, run.ExitCode);
        var line = JsonNode.Parse(run.StandardOutput)!; // stdout is not a terminal: JSON lines, as for scripts
        Assert.Equal("not_found", line["status"]!.GetValue<string>());
        Assert.StartsWith("no images under start-frames/empty/", line["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redrive_resubmits_a_refused_upload_once_the_cause_is_fixed()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        await harness.UploadSidecarAsync("quota.json", Sidecars.Valid);
        var image = await harness.UploadImageAsync("quota.png", TestImages.Png(640, 360));
        harness.Simulator.AddFaults(new SimulatedFault { Status = 402 });
        await harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None);
        Assert.Equal("failed", (await harness.LedgerEntryOfAsync(image))!.State);

        var run = await CliProcess.RunAsync(harness.Settings, "redrive", "start-frames/quota.png");

        Assert.True(run.ExitCode == 0, run.StandardError);
        Assert.Contains("submitted again", run.StandardError, StringComparison.Ordinal);
        Assert.Equal(2, harness.Simulator.PostCount);
        Assert.Single(await PipelineHarness.PeekAllAsync(harness.Tasks));
        Assert.Equal("recorded", (await harness.LedgerEntryOfAsync(image))!.State);
    }

    [Fact]
    public async Task Redrive_refuses_an_ambiguous_submission_without_force_and_resubmits_it_with_force()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        await harness.UploadSidecarAsync("maybe.json", Sidecars.Valid);
        var image = await harness.UploadImageAsync("maybe.png", TestImages.Png(640, 360));
        harness.Simulator.AddFaults(new SimulatedFault { Status = 502 });
        await harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None);

        var refused = await CliProcess.RunAsync(harness.Settings, "redrive", "start-frames/maybe.png");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("--force", refused.StandardError, StringComparison.Ordinal);
        Assert.Equal(1, harness.Simulator.PostCount);

        var forced = await CliProcess.RunAsync(harness.Settings, "redrive", "start-frames/maybe.png", "--force");

        Assert.True(forced.ExitCode == 0, forced.StandardError);
        Assert.Contains("charges twice", forced.StandardError, StringComparison.Ordinal);
        Assert.Equal(2, harness.Simulator.PostCount);
        Assert.Single(await PipelineHarness.PeekAllAsync(harness.Tasks));
    }
}
