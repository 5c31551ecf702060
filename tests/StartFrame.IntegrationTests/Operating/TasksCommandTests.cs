using System.Text.Json.Nodes;
using StartFrame.Core;
using StartFrame.Core.Ledger;
using StartFrame.IntegrationTests.Infrastructure;
using static StartFrame.IntegrationTests.Operating.CliLines;

namespace StartFrame.IntegrationTests.Operating;

/// <summary><c>startframe tasks</c> lists the ledger by readable names, filtered and bounded, as the real CLI on Azurite.</summary>
[Collection(StorageCollection.Name)]
public sealed class TasksCommandTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Tasks_lists_each_entry_by_its_image_and_key_with_state_task_and_last_error()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server, PipelineHarness.HttpImageUrls);
        var taskId = await harness.SubmitPairAsync("batch1/ok");
        await harness.UploadSidecarAsync("batch1/bad.json", """{"duration": 11}""");
        await harness.Processor.ProcessBlobAsync(await harness.UploadImageAsync("batch1/bad.png", TestImages.Png(640, 360)), null, CancellationToken.None);
        var owlUrl = await harness.ImageUrlAsync("owl.png");
        var submitted = await CliProcess.RunAsync(harness.Settings, "submit", owlUrl.AbsoluteUri, "--idempotency-key", "owl-1", "--json");

        var run = await CliProcess.RunAsync(harness.Settings, "tasks", "--json");

        Assert.True(run.ExitCode == 0, run.StandardError);
        var entries = Json(run).ToDictionary(e => Text(e, "source")!);
        Assert.Equal(["batch1/bad.png", "batch1/ok.png", owlUrl.GetLeftPart(UriPartial.Path)], entries.Keys.Select(k => k.Replace("start-frames/", "", StringComparison.Ordinal)).Order());
        var ok = entries["start-frames/batch1/ok.png"];
        Assert.Equal(("recorded", taskId, "blob"), (Text(ok, "state"), Text(ok, "taskId"), Text(ok, "origin")));
        Assert.StartsWith("b:", Text(ok, "partitionKey"), StringComparison.Ordinal);
        var bad = entries["start-frames/batch1/bad.png"];
        Assert.Equal(("failed", "out_of_range"), (Text(bad, "state"), Text(bad["lastError"], "code")));
        var owl = entries[owlUrl.GetLeftPart(UriPartial.Path)];
        Assert.Equal(("recorded", "owl-1", JsonNode.Parse(submitted.StandardOutput)!["taskId"]!.GetValue<string>()), (Text(owl, "state"), Text(owl, "idempotencyKey"), Text(owl, "taskId")));
        Assert.Equal("3 entries.", run.StandardError.Trim());
    }

    [Fact]
    public async Task Tasks_prints_a_table_for_people_with_the_video_and_error_under_their_entry()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        await harness.UploadSidecarAsync("t/bad.json", """{"duration": 11}""");
        await harness.Processor.ProcessBlobAsync(await harness.UploadImageAsync("t/bad.png", TestImages.Png(640, 360)), null, CancellationToken.None);

        var run = await CliProcess.RunAsync(harness.Settings, "tasks");

        Assert.True(run.ExitCode == 0, run.StandardError);
        var lines = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^STATE +TASK +TRACKING +UPDATED +IMAGE$", lines[0]);
        Assert.Matches(@"^failed +- +- +\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ  start-frames/t/bad\.png$", lines[1]);
        Assert.Matches(@"^ {60,}out_of_range: duration: duration must be", lines[2]);
        Assert.Equal("1 entry.", lines[3]);
    }

    [Fact]
    public async Task Tasks_filters_by_ledger_state_and_by_the_images_folder()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        await harness.SubmitPairAsync("batch1/a");
        await harness.SubmitPairAsync("batch1/deeper/b");
        await harness.SubmitPairAsync("batch10/c");
        await harness.UploadSidecarAsync("batch1/bad.json", """{"duration": 11}""");
        await harness.Processor.ProcessBlobAsync(await harness.UploadImageAsync("batch1/bad.png", TestImages.Png(640, 360)), null, CancellationToken.None);

        var failed = await CliProcess.RunAsync(harness.Settings, "tasks", "--state", "failed", "--json");
        var folder = await CliProcess.RunAsync(harness.Settings, "tasks", "--prefix", "start-frames/batch1/", "--json");
        var short_ = await CliProcess.RunAsync(harness.Settings, "tasks", "--prefix", "batch1/", "--state", "recorded", "--json");

        Assert.Equal(["start-frames/batch1/bad.png"], Json(failed).Select(e => Text(e, "source")));
        Assert.Equal(["start-frames/batch1/a.png", "start-frames/batch1/bad.png", "start-frames/batch1/deeper/b.png"], Json(folder).Select(e => Text(e, "source")).Order());
        Assert.Equal(["start-frames/batch1/a.png", "start-frames/batch1/deeper/b.png"], Json(short_).Select(e => Text(e, "source")).Order());
        Assert.Equal("3 entries for images under start-frames/batch1/.", folder.StandardError.Trim());
        Assert.Equal("2 entries in state recorded for images under start-frames/batch1/.", short_.StandardError.Trim());
    }

    [Fact]
    public async Task Tasks_refuses_a_state_the_ledger_does_not_have_naming_the_allowed_ones()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);

        var run = await CliProcess.RunAsync(harness.Settings, "tasks", "--state", "done");

        Assert.Equal((2, ""), (run.ExitCode, run.StandardOutput));
        Assert.Equal("tasks: --state: 'done' is not a ledger state; use one of: waiting, claimed, submitted, recorded, failed, ambiguous, released, redrive.", run.StandardError.Trim());
    }

    [Fact]
    public async Task Tasks_pages_through_a_ledger_larger_than_a_page_and_bounds_what_it_prints_with_limit()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        const int Entries = 1_200; // more than one page of 1,000
        await Parallel.ForEachAsync(Enumerable.Range(0, Entries), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            await harness.Ledger.AddEntityAsync(new LedgerEntry
            {
                PartitionKey = LedgerKey.UploadPartition(StartFrameOptions.UploadsContainer, $"many/{i:D5}.png"),
                RowKey = "md5-00-1.no-sidecar",
                State = LedgerStates.Recorded,
                Origin = "blob",
                Container = StartFrameOptions.UploadsContainer,
                Blob = $"many/{i:D5}.png",
                TaskId = $"t{i:D5}",
                TaskRecordJson = new string('x', 20_000), // a record copy the listing never reads
            }, ct));

        var all = await CliProcess.RunAsync(harness.Settings, "tasks", "--limit", "0", "--json");
        var bounded = await CliProcess.RunAsync(harness.Settings, "tasks");

        Assert.True(all.ExitCode == 0, all.StandardError);
        Assert.Equal(Entries, Json(all).Select(e => Text(e, "taskId")).Distinct().Count());
        Assert.DoesNotContain("xxxx", all.StandardOutput, StringComparison.Ordinal);
        Assert.Equal($"{Entries} entries.", all.StandardError.Trim());
        var lines = bounded.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1 + 100 + 1, lines.Length); // header, the default limit of 100, the summary
        Assert.Equal("100 entries shown; more match: raise --limit (0 shows all), or narrow with --state or --prefix.", lines[^1]);
    }
}
