using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using StartFrame.Core.Telemetry;
using StartFrame.Core.Tracking;
using StartFrame.Core.WaysIn;
using StartFrame.IntegrationTests.Infrastructure;
using StartFrame.IntegrationTests.Tracking;
using StartFrame.LocalDev.Dev;

namespace StartFrame.IntegrationTests.Telemetry;

/// <summary>
/// <c>startframe dev --trace</c>'s timelines: the core's spans in this process become one timeline per video, printed
/// when the video is stored (or when its upload ended without a task), with its stages in the order they ran.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class DevTraceTimelineTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_stored_video_is_one_timeline_from_the_upload_to_its_completion()
    {
        var reported = new ConcurrentQueue<DevTrace>();
        using var timelines = new TraceTimelines(reported.Enqueue);
        var clock = TrackingHarness.Clock();
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock);

        var taskId = await harness.SubmitPairAsync("timeline/cat");
        Assert.DoesNotContain(reported, t => t.Subject == "timeline/cat.png"); // submitted: the trace goes on in tracking
        var outcomes = await harness.Tracking.RunUntilIdleAsync();

        Assert.Equal(TrackingOutcomeStatus.Succeeded, outcomes[^1].Status);
        var trace = Assert.Single(reported, t => t.Subject == "timeline/cat.png");
        Assert.Equal(taskId, trace.TaskId);
        Assert.Equal("succeeded", trace.Outcome);
        Assert.Equal(["upload", "read", "claim", "submit", "record", "poll", "copy", "complete"], trace.Stages.Select(s => s.Name));
        var polls = trace.Stages.Single(s => s.Name == "poll");
        Assert.Equal(outcomes.Count, polls.Count); // every delivery, folded into one line
        Assert.Equal(1, polls.Depth); // children of the upload, like the stages of its submission
        Assert.Equal(2, trace.Stages.Single(s => s.Name == "copy").Depth); // the copy ran inside the last poll
        Assert.Equal(0, trace.Stages[0].Depth);
        Assert.Equal(trace.Stages.OrderBy(s => s.Offset).Select(s => s.Name), trace.Stages.Select(s => s.Name));
        Assert.DoesNotContain(reported, t => t.TaskId == taskId && t != trace); // the last poll ended the trace, not a second one
    }

    [Fact]
    public async Task An_upload_that_waited_for_a_slot_continues_its_timeline_on_the_look_that_submits_it()
    {
        var reported = new ConcurrentQueue<DevTrace>();
        using var timelines = new TraceTimelines(reported.Enqueue);
        await using var harness = await StartFrame.IntegrationTests.Admission.AdmissionHarness.StartAsync(azurite.Server, configuredLimit: 1, simulatorLimit: 1);

        var waiting = Assert.Single(await harness.DropFolderAsync(2, "timeline-wait"), o => o.Status == OutcomeStatus.WaitingForSlot);
        await harness.Queues.RunUntilIdleAsync();

        var subject = waiting.Subject[(waiting.Subject.IndexOf('/', StringComparison.Ordinal) + 1)..];
        var traces = reported.Where(t => t.Subject == subject).ToList();
        Assert.True(traces.Count >= 2, $"{traces.Count} timelines");
        Assert.Single(traces.Select(t => t.TraceId).Distinct());
        Assert.Equal(OutcomeStatus.WaitingForSlot, traces[0].Outcome);
        Assert.Equal("upload", traces[0].Stages[0].Name);
        var last = traces[^1];
        Assert.Equal("succeeded", last.Outcome);
        Assert.Equal(["recheck", "upload"], last.Stages.Take(2).Select(s => s.Name));
        Assert.Contains(last.Stages, s => s.Name == "submit");
        Assert.Equal("complete", last.Stages[^1].Name);
        Assert.Equal(0, timelines.Failures);
    }

    [Fact]
    public async Task A_refused_upload_is_a_timeline_that_ends_with_its_upload()
    {
        var reported = new ConcurrentQueue<DevTrace>();
        using var timelines = new TraceTimelines(reported.Enqueue);
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        await harness.UploadSidecarAsync("timeline-refused/cat.json", """{"prompt": "a cat", "duration": 0}""");
        var image = await harness.UploadImageAsync("timeline-refused/cat.png", TestImages.Png(640, 360));

        var outcome = await harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None);

        Assert.Equal("rejected", outcome.Status);
        var trace = Assert.Single(reported, t => t.Subject == "timeline-refused/cat.png");
        Assert.Null(trace.TaskId);
        Assert.Equal("rejected", trace.Outcome);
        Assert.Equal("upload", trace.Stages[0].Name);
        Assert.Contains(trace.Stages, s => s.Failed && s.ErrorCode is not null);
        Assert.DoesNotContain(trace.Stages, s => s.Name == "submit"); // refused before a credit was spent
    }

    [Fact]
    public void A_trace_of_many_polls_keeps_its_bound_and_its_root()
    {
        var reported = new ConcurrentQueue<DevTrace>();
        using var timelines = new TraceTimelines(reported.Enqueue);
        var subject = "timeline-bound/" + Guid.NewGuid().ToString("N") + ".png";
        const int polls = TraceTimelines.MaxSpansPerTrace + 44;

        using (var root = StartFrameTelemetry.Source.StartActivity(SpanNames.Upload, ActivityKind.Consumer, default(ActivityContext)))
        {
            Assert.NotNull(root);
            root.SetTag(TagNames.Blob, subject);
            for (var i = 0; i < polls; i++)
            {
                StartFrameTelemetry.Source.StartActivity(SpanNames.Poll)!.Dispose();
            }

            root.SetTag(TagNames.Outcome, "waiting");
        }

        var trace = Assert.Single(reported, t => t.Subject == subject);
        Assert.Equal(polls - TraceTimelines.MaxSpansPerTrace, trace.Dropped);
        Assert.Equal(["upload", "poll"], trace.Stages.Select(s => s.Name));
        Assert.Equal(TraceTimelines.MaxSpansPerTrace, trace.Stages[1].Count);
        Assert.Equal("waiting", trace.Outcome);
    }

    [Fact]
    public void Timelines_that_never_end_are_bounded_by_dropping_the_least_recently_touched()
    {
        var reported = new ConcurrentQueue<DevTrace>();
        using var timelines = new TraceTimelines(reported.Enqueue);
        var subject = "timeline-evicted/" + Guid.NewGuid().ToString("N") + ".png";

        using (var root = StartFrameTelemetry.Source.StartActivity(SpanNames.Upload, ActivityKind.Consumer, default(ActivityContext)))
        {
            root!.SetTag(TagNames.Blob, subject);
            StartFrameTelemetry.Source.StartActivity(SpanNames.Read)!.Dispose(); // held in the upload's open timeline

            // Polls of tasks whose completion this process never sees (outside the upload: no parent): each a
            // timeline of its own that stays open. Twice the bound: whatever was open before (here or in a test beside
            // this one) is dropped.
            Activity.Current = null;
            for (var i = 0; i < TraceTimelines.MaxOpenTraces * 2; i++)
            {
                StartFrameTelemetry.Source.StartActivity(SpanNames.Poll, ActivityKind.Consumer, default(ActivityContext))!.Dispose();
            }

            Assert.InRange(timelines.OpenCount, 1, TraceTimelines.MaxOpenTraces);
            root.SetTag(TagNames.Outcome, "rejected");
        }

        // The upload's timeline was the least recently touched: dropped with its read, it starts again at its root.
        var trace = Assert.Single(reported, t => t.Subject == subject);
        Assert.Equal(["upload"], trace.Stages.Select(s => s.Name));
    }

    [Fact]
    public async Task Submissions_sharing_a_callers_trace_are_a_timeline_each()
    {
        var reported = new ConcurrentQueue<DevTrace>();
        using var timelines = new TraceTimelines(reported.Enqueue);
        var clock = TrackingHarness.Clock();
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock);
        var batch = ActivityTraceId.CreateRandom();
        var api = harness.Services.GetRequiredService<IVideoApi>();
        var taskIds = new List<string>();
        foreach (var name in new[] { "timeline-batch/a.png", "timeline-batch/b.png" })
        {
            await harness.UploadImageAsync(name, TestImages.Png(640, 360));
            var request = HttpCall.Post($$"""{"blob": "start-frames/{{name}}", "prompt": "a cat", "duration": 5}""");
            request.Headers["traceparent"] = $"00-{batch}-{ActivitySpanId.CreateRandom()}-01";
            var response = await HttpCall.RunAsync(api.SubmitAsync(request, CancellationToken.None));
            Assert.Equal(202, response.Status);
            taskIds.Add(response.Json["taskId"]!.GetValue<string>());
        }

        await harness.Tracking.RunUntilIdleAsync();

        var traces = reported.Where(t => t.TraceId == batch.ToHexString()).ToList();
        Assert.Equal(taskIds.Order(), traces.Select(t => t.TaskId!).Order());
        Assert.All(traces, t => Assert.Equal(["submission", "read", "claim", "submit", "record", "poll", "copy", "complete"], t.Stages.Select(s => s.Name)));
    }

    [Fact]
    public async Task A_reporter_that_throws_never_fails_the_upload()
    {
        using var timelines = new TraceTimelines(_ => throw new IOException("the console is gone"));
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        await harness.UploadSidecarAsync("timeline-throws/cat.json", """{"prompt": "a cat", "duration": 0}""");
        var image = await harness.UploadImageAsync("timeline-throws/cat.png", TestImages.Png(640, 360));

        var outcome = await harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None);

        Assert.Equal("rejected", outcome.Status);
        Assert.True(timelines.Failures >= 1);
    }
}
