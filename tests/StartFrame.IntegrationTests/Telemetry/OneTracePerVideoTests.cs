using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using StartFrame.Core.Redrives;
using StartFrame.Core.Telemetry;
using StartFrame.Core.Tracking;
using StartFrame.Core.WaysIn;
using StartFrame.IntegrationTests.Infrastructure;
using StartFrame.IntegrationTests.Tracking;

namespace StartFrame.IntegrationTests.Telemetry;

/// <summary>
/// One trace per video: from the blob event or the HTTP call, through the POST and every poll (each a new queue
/// delivery) to the stored video, every span and every record carries one trace id.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class OneTracePerVideoTests(AzuriteFixture azurite)
{
    private static readonly string[] SubmitStages = [SpanNames.Read, SpanNames.Claim, SpanNames.Submit, SpanNames.Record];

    [Fact]
    public async Task An_upload_is_one_trace_from_the_blob_event_to_its_stored_video()
    {
        using var capture = new TraceCapture();
        var clock = TrackingHarness.Clock();
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock);

        var taskId = await harness.SubmitPairAsync("traced/cat");
        var outcomes = await harness.Tracking.RunUntilIdleAsync();

        Assert.Equal(TrackingOutcomeStatus.Succeeded, outcomes[^1].Status);
        var root = Assert.Single(capture.Spans, s => s.OperationName == SpanNames.Upload && (string?)s.GetTagItem(TagNames.Blob) == "traced/cat.png");
        Assert.Equal(default, root.ParentSpanId);
        Assert.Equal(taskId, root.GetTagItem(TagNames.TaskId));
        await AssertOneTraceAsync(harness, capture, root, taskId, outcomes.Count);
    }

    [Fact]
    public async Task An_http_submission_continues_the_callers_trace_to_its_stored_video()
    {
        using var capture = new TraceCapture();
        var clock = TrackingHarness.Clock();
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock);
        await harness.UploadImageAsync("traced-http/cat.png", TestImages.Png(640, 360));
        var callerTrace = ActivityTraceId.CreateRandom();
        var callerSpan = ActivitySpanId.CreateRandom();

        var response = await PostUnderTraceAsync(harness, "traced-http/cat.png", callerTrace, callerSpan);
        var outcomes = await harness.Tracking.RunUntilIdleAsync();

        Assert.Equal(202, response.Status);
        Assert.Equal(TrackingOutcomeStatus.Succeeded, outcomes[^1].Status);
        var taskId = response.Json["taskId"]!.GetValue<string>();
        var root = Assert.Single(capture.Spans, s => s.OperationName == SpanNames.Submission && s.TraceId == callerTrace);
        Assert.Equal(callerSpan, root.ParentSpanId);
        Assert.Equal(taskId, root.GetTagItem(TagNames.TaskId));
        await AssertOneTraceAsync(harness, capture, root, taskId, outcomes.Count);
    }

    [Fact]
    public async Task A_queued_submission_continues_the_trace_its_message_names()
    {
        using var capture = new TraceCapture();
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        await harness.UploadImageAsync("traced-queue/cat.png", TestImages.Png(640, 360));
        var callerTrace = ActivityTraceId.CreateRandom();
        var message = $$"""{"blob": "start-frames/traced-queue/cat.png", "prompt": "a cat", "traceparent": "00-{{callerTrace}}-{{ActivitySpanId.CreateRandom()}}-01"}""";

        await harness.Services.GetRequiredService<ISubmissionQueueProcessor>().ProcessAsync(message, "msg-1", 1, CancellationToken.None);

        var task = Assert.Single(await PipelineHarness.PeekAllAsync(harness.Tasks));
        Assert.Equal(callerTrace, TraceIdOf(task));
        Assert.Empty(await RecordSchemas.TaskRecordErrorsAsync(task.ToJsonString()));
        Assert.Null(harness.Simulator.Requests[0].Body!["traceparent"]); // the caller's context is ours, never ModelStream's
        Assert.Contains(capture.Trace(callerTrace), s => s.OperationName == SpanNames.Submit);
    }

    [Fact]
    public async Task A_refused_upload_writes_its_failure_record_in_the_uploads_trace()
    {
        using var capture = new TraceCapture();
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        await harness.UploadSidecarAsync("traced-refused/cat.json", """{"duration": "five"}""");
        var image = await harness.UploadImageAsync("traced-refused/cat.png", TestImages.Png(640, 360));

        var outcome = await harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None);

        Assert.True(outcome.IsRejected, outcome.Status);
        var root = Assert.Single(capture.Spans, s => s.OperationName == SpanNames.Upload && (string?)s.GetTagItem(TagNames.Blob) == "traced-refused/cat.png");
        var failure = Assert.Single(await PipelineHarness.PeekAllAsync(harness.Failures));
        Assert.Equal(root.TraceId, TraceIdOf(failure));
        Assert.Empty(await RecordSchemas.FailureRecordErrorsAsync(failure.ToJsonString()));
        var record = Assert.Single(capture.Trace(root.TraceId), s => s.OperationName == SpanNames.Record);
        Assert.Equal(ActivityStatusCode.Error, record.Status);
    }

    [Fact]
    public async Task An_upload_that_waits_for_a_provider_slot_is_one_trace_across_its_looks()
    {
        using var capture = new TraceCapture();
        await using var harness = await StartFrame.IntegrationTests.Admission.AdmissionHarness.StartAsync(azurite.Server, configuredLimit: 1, simulatorLimit: 1);

        var outcomes = await harness.DropFolderAsync(2, "traced-wait");
        var waiting = Assert.Single(outcomes, o => o.Status == OutcomeStatus.WaitingForSlot);
        await harness.Queues.RunUntilIdleAsync();

        var blob = waiting.Subject[(waiting.Subject.IndexOf('/', StringComparison.Ordinal) + 1)..];
        var root = Assert.Single(capture.Spans, s => s.OperationName == SpanNames.Upload && s.ParentSpanId == default && (string?)s.GetTagItem(TagNames.Blob) == blob);
        var looks = capture.Spans.Where(s => s.OperationName == SpanNames.Recheck && (string?)s.GetTagItem(TagNames.Blob) == blob).ToList();
        Assert.NotEmpty(looks);
        Assert.All(looks, look => Assert.Equal(root.TraceId, look.TraceId));
        Assert.All(looks, look => Assert.Equal(root.SpanId, look.ParentSpanId)); // every look a child of the first, not a chain
        Assert.Equal(OutcomeStatus.Submitted, looks.OrderBy(l => l.StartTimeUtc).Last().GetTagItem(TagNames.Outcome));
        Assert.All(capture.Trace(root.TraceId).Where(s => s.OperationName == SpanNames.Claim), claim => Assert.Empty(claim.Links)); // the looks are in its trace

        var task = Assert.Single(await PipelineHarness.PeekAllAsync(harness.First.Tasks), t => t["source"]?["blob"]?.GetValue<string>() == blob);
        var taskId = task["taskId"]!.GetValue<string>();
        Assert.Equal(root.TraceId, TraceIdOf(task));
        var ofTask = capture.Spans.Where(s => (string?)s.GetTagItem(TagNames.TaskId) == taskId).ToList();
        Assert.Contains(ofTask, s => s.OperationName == SpanNames.Poll);
        Assert.All(ofTask, s => Assert.Equal(root.TraceId, s.TraceId));
        Assert.All(ofTask.Where(s => s.OperationName == SpanNames.Poll), poll => Assert.Equal(root.SpanId, poll.ParentSpanId)); // beside the looks
        Assert.Contains(capture.Trace(root.TraceId), s => s.OperationName == SpanNames.Submit);
    }

    [Fact]
    public async Task The_run_for_an_uploads_other_event_links_its_claim_to_the_videos_trace()
    {
        using var capture = new TraceCapture();
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var sidecar = await harness.UploadSidecarAsync("traced-pair/cat.json", Sidecars.Valid);
        var image = await harness.UploadImageAsync("traced-pair/cat.png", TestImages.Png(640, 360));

        // Both events of the pair: the image's submits, the sidecar's meets what it left.
        var submitted = await harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None);
        var met = await harness.Processor.ProcessBlobAsync(sidecar, null, CancellationToken.None);

        Assert.Equal(OutcomeStatus.Submitted, submitted.Status);
        Assert.Equal(OutcomeStatus.AlreadySubmitted, met.Status);
        var video = Assert.Single(capture.Spans, s => s.OperationName == SpanNames.Upload && (string?)s.GetTagItem(TagNames.Blob) == "traced-pair/cat.png");
        var other = Assert.Single(capture.Spans, s => s.OperationName == SpanNames.Upload && (string?)s.GetTagItem(TagNames.Blob) == "traced-pair/cat.json");
        Assert.NotEqual(video.TraceId, other.TraceId);
        Assert.Empty(Assert.Single(capture.Trace(video.TraceId), s => s.OperationName == SpanNames.Claim).Links); // a new entry: nothing to link
        var link = Assert.Single(Assert.Single(capture.Trace(other.TraceId), s => s.OperationName == SpanNames.Claim).Links);
        Assert.Equal(video.TraceId, link.Context.TraceId);
        Assert.Equal(video.SpanId, link.Context.SpanId);
        Assert.Equal(video.TraceId, TraceIdOf(Assert.Single(await PipelineHarness.PeekAllAsync(harness.Tasks))));
    }

    [Fact]
    public async Task An_http_submission_replayed_from_another_trace_links_its_claim_to_the_first()
    {
        using var capture = new TraceCapture();
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        await harness.UploadImageAsync("traced-replay/cat.png", TestImages.Png(640, 360));
        var traces = new[] { ActivityTraceId.CreateRandom(), ActivityTraceId.CreateRandom() };
        var answers = new List<HttpCall.Response>();
        foreach (var trace in traces)
        {
            answers.Add(await PostUnderTraceAsync(harness, "traced-replay/cat.png", trace, idempotencyKey: "traced-replay-1"));
        }

        Assert.Equal(answers[0].Json["taskId"]!.GetValue<string>(), answers[1].Json["taskId"]!.GetValue<string>());
        Assert.Single(harness.Simulator.Requests, r => r.Method == "POST");
        var first = Assert.Single(capture.Trace(traces[0]), s => s.OperationName == SpanNames.Submission);
        var link = Assert.Single(Assert.Single(capture.Trace(traces[1]), s => s.OperationName == SpanNames.Claim).Links);
        Assert.Equal(traces[0], link.Context.TraceId);
        Assert.Equal(first.SpanId, link.Context.SpanId);
    }

    [Fact]
    public async Task A_run_that_finds_an_expired_claim_links_to_its_trace_and_records_the_ambiguity_in_its_own()
    {
        using var capture = new TraceCapture();
        await using var harness = await PipelineHarness.StartAsync(azurite.Server, new Dictionary<string, string?>
        {
            ["StartFrame:AmbiguousRetry"] = "Never",
            ["StartFrame:ClaimLease"] = "00:10:00",
        });
        await harness.UploadSidecarAsync("traced-crash/cat.json", Sidecars.Valid);
        var image = await harness.UploadImageAsync("traced-crash/cat.png", TestImages.Png(640, 360));
        var key = await harness.LedgerKeyOfAsync(image);
        var crashed = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        await harness.Ledger.AddEntityAsync(new StartFrame.Core.Ledger.LedgerEntry
        {
            PartitionKey = key.PartitionKey,
            RowKey = key.RowKey,
            State = StartFrame.Core.Ledger.LedgerStates.Claimed,
            ClaimId = "crashed-run",
            ClaimedAt = DateTimeOffset.UtcNow.AddHours(-1),
            Traceparent = $"00-{crashed.TraceId}-{crashed.SpanId}-01",
        });

        var outcome = await harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None);

        Assert.Equal(OutcomeStatus.Ambiguous, outcome.Status);
        var root = Assert.Single(capture.Spans, s => s.OperationName == SpanNames.Upload && (string?)s.GetTagItem(TagNames.Blob) == "traced-crash/cat.png");
        var link = Assert.Single(Assert.Single(capture.Trace(root.TraceId), s => s.OperationName == SpanNames.Claim).Links);
        Assert.Equal(crashed.TraceId, link.Context.TraceId);
        Assert.Equal(crashed.SpanId, link.Context.SpanId);
        Assert.Equal(root.TraceId, TraceIdOf(Assert.Single(await PipelineHarness.PeekAllAsync(harness.Failures))));
        var entry = await harness.LedgerEntryOfAsync(image);
        Assert.Equal(root.TraceId, TraceParent.Parse(entry!.Traceparent).TraceId); // a late write of its record joins this run
    }

    [Fact]
    public async Task A_record_the_sweep_writes_late_joins_its_submissions_trace()
    {
        using var capture = new TraceCapture();
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        await harness.UploadImageAsync("traced-owed/cat.png", TestImages.Png(640, 360));
        var sweeper = harness.Services.GetRequiredService<IOwedRecordSweeper>();
        var callerTrace = ActivityTraceId.CreateRandom();
        harness.StorageFaults.FailWhen(m => m.Request.Uri.Path.EndsWith("/video-tasks/messages", StringComparison.Ordinal));

        var response = await PostUnderTraceAsync(harness, "traced-owed/cat.png", callerTrace);
        var stillDown = Assert.Single(await sweeper.SweepAsync(TimeSpan.Zero, dryRun: false, CancellationToken.None));
        harness.StorageFaults.Heal();
        var swept = Assert.Single(await sweeper.SweepAsync(TimeSpan.Zero, dryRun: false, CancellationToken.None));

        Assert.Equal(202, response.Status);
        Assert.Equal(OwedSweepOutcomes.StillOwed, stillDown.Outcome);
        Assert.Equal(OwedSweepOutcomes.Written, swept.Outcome);
        var root = Assert.Single(capture.Trace(callerTrace), s => s.OperationName == SpanNames.Submission);
        var owed = capture.Trace(callerTrace).Where(s => s.OperationName == SpanNames.Owed).ToList();
        Assert.Equal(2, owed.Count);
        Assert.All(owed, write => Assert.Equal(root.SpanId, write.ParentSpanId));
        Assert.Equal(ActivityStatusCode.Error, owed[0].Status);
        Assert.Equal(OwedSweepOutcomes.StillOwed, owed[0].GetTagItem(TagNames.Outcome));
        Assert.Equal(OwedSweepOutcomes.Written, owed[1].GetTagItem(TagNames.Outcome));
        Assert.Equal(swept.TaskId, owed[1].GetTagItem(TagNames.TaskId));
        Assert.Equal(callerTrace, TraceIdOf(Assert.Single(await PipelineHarness.PeekAllAsync(harness.Tasks))));
    }

    [Fact]
    public async Task A_debt_the_sweep_cannot_write_is_a_failed_span_in_its_submissions_trace()
    {
        using var capture = new TraceCapture();
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        await harness.UploadImageAsync("traced-refused-debt/cat.png", TestImages.Png(640, 360));
        var callerTrace = ActivityTraceId.CreateRandom();
        harness.StorageFaults.FailWhen(m => m.Request.Uri.Path.EndsWith("/video-tasks/messages", StringComparison.Ordinal));
        var response = await PostUnderTraceAsync(harness, "traced-refused-debt/cat.png", callerTrace);
        harness.StorageFaults.Heal();

        // The entry owes a task record but no longer holds it (a row edited by hand): the sweep cannot write it.
        var taskId = response.Json["taskId"]!.GetValue<string>();
        var entry = await harness.Ledger.QueryAsync<StartFrame.Core.Ledger.LedgerEntry>(e => e.TaskId == taskId).SingleAsync();
        entry.TaskRecordJson = null;
        await harness.Ledger.UpdateEntityAsync(entry, entry.ETag, Azure.Data.Tables.TableUpdateMode.Replace);
        var swept = Assert.Single(await harness.Services.GetRequiredService<IOwedRecordSweeper>().SweepAsync(TimeSpan.Zero, dryRun: false, CancellationToken.None));

        Assert.Equal(OwedSweepOutcomes.Refused, swept.Outcome);
        var owed = Assert.Single(capture.Trace(callerTrace), s => s.OperationName == SpanNames.Owed);
        Assert.Equal(ActivityStatusCode.Error, owed.Status);
        Assert.Equal(OwedSweepOutcomes.Refused, owed.GetTagItem(TagNames.Outcome));
        Assert.Equal(nameof(InvalidOperationException), owed.GetTagItem(TagNames.ErrorCode));
    }

    /// <summary>The stages in order under <paramref name="root"/>, every poll its child, copy and record under the last
    /// poll, and the task and completion records carrying the same trace.</summary>
    private static async Task AssertOneTraceAsync(PipelineHarness harness, TraceCapture capture, Activity root, string taskId, int deliveries)
    {
        var trace = capture.Trace(root.TraceId);
        Assert.All(capture.Spans.Where(s => (string?)s.GetTagItem(TagNames.TaskId) == taskId), s => Assert.Equal(root.TraceId, s.TraceId));

        var names = trace.Select(s => s.OperationName).ToList();
        var stages = SubmitStages.Select(stage => names.IndexOf(stage)).ToList();
        Assert.DoesNotContain(-1, stages);
        Assert.Equal(stages.Order(), stages);
        Assert.All(SubmitStages, stage => Assert.Equal(root.SpanId, trace.Single(s => s.OperationName == stage).ParentSpanId));

        var polls = trace.Where(s => s.OperationName == SpanNames.Poll).ToList();
        Assert.Equal(deliveries, polls.Count);
        Assert.True(polls.Count > 1, "the simulator's generation should take more than one poll");
        Assert.All(polls, poll => Assert.Equal(root.SpanId, poll.ParentSpanId));
        Assert.True(names.IndexOf(SpanNames.Record) < names.IndexOf(SpanNames.Poll));
        var copy = Assert.Single(trace, s => s.OperationName == SpanNames.Copy);
        var complete = Assert.Single(trace, s => s.OperationName == SpanNames.Complete);
        Assert.Equal(polls[^1].SpanId, copy.ParentSpanId);
        Assert.Equal(polls[^1].SpanId, complete.ParentSpanId);
        Assert.True(copy.StartTimeUtc <= complete.StartTimeUtc);

        var task = Assert.Single(await PipelineHarness.PeekAllAsync(harness.Tasks));
        var completion = Assert.Single(await harness.CompletionRecordsAsync());
        Assert.Equal(root.TraceId, TraceIdOf(task));
        Assert.Equal(root.TraceId, TraceIdOf(completion));
        Assert.Empty(await RecordSchemas.TaskRecordErrorsAsync(task.ToJsonString()));
        Assert.Empty(await RecordSchemas.CompletionRecordErrorsAsync(completion.ToJsonString()));
    }

    /// <summary>POSTs a submission of <paramref name="blob"/> (in start-frames) with a caller's <c>traceparent</c> header
    /// naming <paramref name="trace"/> (and <paramref name="span"/>, or a new span id).</summary>
    private static Task<HttpCall.Response> PostUnderTraceAsync(PipelineHarness harness, string blob, ActivityTraceId trace, ActivitySpanId? span = null, string? idempotencyKey = null)
    {
        var request = HttpCall.Post($$"""{"blob": "start-frames/{{blob}}", "prompt": "a cat", "duration": 5}""", idempotencyKey);
        request.Headers["traceparent"] = $"00-{trace}-{span ?? ActivitySpanId.CreateRandom()}-01";
        return HttpCall.RunAsync(harness.Services.GetRequiredService<IVideoApi>().SubmitAsync(request, CancellationToken.None));
    }

    private static ActivityTraceId TraceIdOf(JsonObject record)
    {
        var traceparent = record["traceparent"]?.GetValue<string>();
        Assert.NotNull(traceparent);
        Assert.True(ActivityContext.TryParse(traceparent, null, out var context), traceparent);
        return context.TraceId;
    }
}
