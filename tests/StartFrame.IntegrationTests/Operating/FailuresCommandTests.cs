using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using StartFrame.Core;
using StartFrame.Core.WaysIn;
using StartFrame.IntegrationTests.Infrastructure;
using static StartFrame.IntegrationTests.Operating.CliLines;

namespace StartFrame.IntegrationTests.Operating;

/// <summary><c>startframe failures</c> reads <c>video-task-failures</c> without taking anything and says which failures were resolved since.</summary>
[Collection(StorageCollection.Name)]
public sealed class FailuresCommandTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Failures_says_which_a_later_upload_resolved_which_still_stand_and_which_name_no_image()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        await harness.UploadSidecarAsync("f/fixed.json", """{"duration": 11}""");
        var fixedImage = await harness.UploadImageAsync("f/fixed.png", TestImages.Png(640, 360));
        await harness.Processor.ProcessBlobAsync(fixedImage, null, CancellationToken.None);
        await harness.UploadSidecarAsync("f/broken.json", """{"stype": "noir"}""");
        await harness.Processor.ProcessBlobAsync(await harness.UploadImageAsync("f/broken.png", TestImages.Png(640, 360)), null, CancellationToken.None);
        await harness.Services.GetRequiredService<ISubmissionQueueProcessor>().ProcessAsync("{not json", "m-1", 1, CancellationToken.None);
        await harness.UploadSidecarAsync("f/fixed.json", Sidecars.Valid); // the fix: a new sidecar, processed with its image
        var resolved = await harness.Processor.ProcessBlobAsync(fixedImage, null, CancellationToken.None);

        var run = await CliProcess.RunAsync(harness.Settings, "failures", "--json");

        Assert.True(run.ExitCode == 0, run.StandardError);
        var lines = Json(run);
        Assert.Equal(3, lines.Count);
        var byImage = lines.ToDictionary(l => Text(l["record"]!["source"], "blob") ?? "(none)");
        Assert.Equal(("resolved", resolved.TaskId), (Text(byImage["f/fixed.png"]["resolution"], "status"), Text(byImage["f/fixed.png"]["resolution"], "taskId")));
        Assert.Equal(("unresolved", "failed"), (Text(byImage["f/broken.png"]["resolution"], "status"), Text(byImage["f/broken.png"]["resolution"], "ledgerState")));
        Assert.Equal("unknown", Text(byImage["(none)"]["resolution"], "status"));
        Assert.All(lines, l => Assert.Equal(0, l["dequeueCount"]!.GetValue<long>()));
        Assert.Equal(3, (await harness.Failures.PeekMessagesAsync(32)).Value.Length);
    }

    [Fact]
    public async Task Failures_prints_each_with_its_resolution_under_it()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        await harness.UploadSidecarAsync("f/bad.json", """{"duration": 11}""");
        await harness.Processor.ProcessBlobAsync(await harness.UploadImageAsync("f/bad.png", TestImages.Png(640, 360)), null, CancellationToken.None);

        var run = await CliProcess.RunAsync(harness.Settings, "failures");

        var lines = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches("^INSERTED +STAGE +RESOLVED +FAILURE$", lines[0]);
        Assert.Matches(@"^\d{4}-.+Z  validation  unresolved  start-frames/f/bad\.png: duration: duration must be a whole number from 1 to 10 \(step 1\); got 11 \[out_of_range\]$", lines[1]);
        Assert.Matches(@"^ +-> still failed \(out_of_range\): fix the cause, then upload the sidecar again or `startframe redrive start-frames/f/bad\.png`$", lines[2]);
        Assert.Equal("video-task-failures: 1 record.", lines[3]);
    }

    [Fact]
    public async Task Follow_shows_new_failures_as_they_arrive_and_receives_nothing()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        await harness.UploadSidecarAsync("f/first.json", """{"duration": 11}""");
        await harness.Processor.ProcessBlobAsync(await harness.UploadImageAsync("f/first.png", TestImages.Png(640, 360)), null, CancellationToken.None);
        using var follow = RunningCli.Start(harness.Settings, "failures", "--follow", "--interval", "00:00:00.200", "--json");

        await follow.WaitForLineAsync(l => l.Contains("f/first.png", StringComparison.Ordinal), TimeSpan.FromMinutes(1));
        await harness.UploadSidecarAsync("f/second.json", """{"duration": 0}""");
        await harness.Processor.ProcessBlobAsync(await harness.UploadImageAsync("f/second.png", TestImages.Png(640, 360)), null, CancellationToken.None);
        var second = await follow.WaitForLineAsync(l => l.Contains("f/second.png", StringComparison.Ordinal), TimeSpan.FromMinutes(1));

        Assert.Equal("unresolved", Text(JsonNode.Parse(second)!["resolution"], "status"));
        var queued = (await harness.Failures.PeekMessagesAsync(32)).Value;
        Assert.Equal(2, queued.Length);
        Assert.All(queued, m => Assert.Equal(0, m.DequeueCount));
    }

    [Fact]
    public async Task Failures_says_when_the_queue_holds_more_than_a_peek_can_see()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        for (var i = 0; i < 33; i++)
        {
            await harness.Failures.SendMessageAsync($$"""
                {"schemaVersion":1,"origin":"queue","source":{},"errors":[{"field":"message","code":"invalid_json","message":"x"}],
                 "errorCount":1,"failedAt":"2026-11-30T00:00:00+00:00","correlationId":"c{{i}}","stage":"validation","retryable":false,"ambiguous":false}
                """);
        }

        var run = await CliProcess.RunAsync(harness.Settings, "failures");

        Assert.True(run.ExitCode == 0, run.StandardError);
        Assert.Contains($"{StartFrameOptions.FailuresQueue}: the first 32 of about 33 messages", run.StandardOutput, StringComparison.Ordinal);
    }
}
