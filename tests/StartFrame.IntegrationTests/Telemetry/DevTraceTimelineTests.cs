using System.Collections.Concurrent;
using System.Diagnostics;
using StartFrame.Core.Telemetry;
using StartFrame.Core.Tracking;
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
    public void Traces_that_never_end_are_bounded_by_dropping_the_oldest()
    {
        var reported = new ConcurrentQueue<DevTrace>();
        using var timelines = new TraceTimelines(reported.Enqueue);

        // Polls of tasks whose completion this process never sees: each is a trace of its own that stays open.
        for (var i = 0; i < TraceTimelines.MaxOpenTraces * 2; i++)
        {
            StartFrameTelemetry.Source.StartActivity(SpanNames.Poll, ActivityKind.Consumer, default(ActivityContext))!.Dispose();
        }

        Assert.InRange(timelines.OpenCount, 1, TraceTimelines.MaxOpenTraces);
    }
}
