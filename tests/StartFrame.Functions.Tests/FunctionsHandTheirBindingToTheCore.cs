using Azure.Storage.Blobs;
using Azure.Storage.Queues.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Moq;
using StartFrame.Core.Tracking;
using StartFrame.Core.WaysIn;

namespace StartFrame.Functions.Tests;

public sealed class FunctionsHandTheirBindingToTheCore : IDisposable
{
    private const string InvocationId = "7f9c2b1e-invocation";
    private readonly CancellationTokenSource _cancellation = new();

    public void Dispose() => _cancellation.Dispose();

    [Fact]
    public async Task Blob_trigger_passes_the_same_blob_the_invocation_id_and_the_token()
    {
        var blob = new BlobClient(new Uri("https://account.blob.core.windows.net/start-frames/a/b/cat.png"));
        var processor = new Mock<IBlobUploads>();

        await new StartFrameUploaded(processor.Object).Run(blob, Context());

        processor.Verify(
            p => p.ProcessBlobAsync(It.Is<BlobClient>(b => ReferenceEquals(b, blob)), InvocationId, _cancellation.Token),
            Times.Once);
        processor.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Blob_trigger_lets_a_transient_failure_surface_so_the_platform_retries()
    {
        var blob = new BlobClient(new Uri("https://account.blob.core.windows.net/start-frames/cat.png"));
        var processor = new Mock<IBlobUploads>();
        processor
            .Setup(p => p.ProcessBlobAsync(It.IsAny<BlobClient>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new TimeoutException("storage timed out"));

        await Assert.ThrowsAsync<TimeoutException>(() => new StartFrameUploaded(processor.Object).Run(blob, Context()));
    }

    [Fact]
    public async Task Submit_passes_the_request_and_the_token_and_returns_the_core_result_unchanged()
    {
        var request = new DefaultHttpContext().Request;
        var answer = Results.Accepted("/api/videos/task-1");
        var api = new Mock<IVideoApi>();
        api.Setup(a => a.SubmitAsync(request, _cancellation.Token)).ReturnsAsync(answer);

        var result = await new SubmitVideo(api.Object).Run(request, Context());

        Assert.Same(answer, result);
        api.Verify(a => a.SubmitAsync(It.Is<HttpRequest>(r => ReferenceEquals(r, request)), _cancellation.Token), Times.Once);
        api.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Get_passes_the_route_task_id_and_the_token_and_returns_the_core_result_unchanged()
    {
        var answer = Results.NotFound();
        var api = new Mock<IVideoApi>();
        api.Setup(a => a.GetAsync("task-42", _cancellation.Token)).ReturnsAsync(answer);

        var result = await new GetVideo(api.Object).Run(new DefaultHttpContext().Request, "task-42", Context());

        Assert.Same(answer, result);
        api.Verify(a => a.GetAsync("task-42", _cancellation.Token), Times.Once);
        api.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Queue_trigger_passes_text_id_dequeue_count_and_the_token()
    {
        const string body = """{"blob":"start-frames/a/cat.png","prompt":"a cat","correlationId":"pipeline-9"}""";
        var message = QueuesModelFactory.QueueMessage("message-1", "pop-receipt-1", body, 3);
        var processor = new Mock<ISubmissionQueueProcessor>();

        await new SubmissionQueued(processor.Object).Run(message, Context());

        processor.Verify(p => p.ProcessAsync(body, "message-1", 3, _cancellation.Token), Times.Once);
        processor.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Recheck_trigger_passes_the_text_and_the_token()
    {
        const string body = """{"blob":"start-frames/a/cat.png","correlationId":"c-1","dueAt":"2026-01-01T00:10:00+00:00"}""";
        var message = QueuesModelFactory.QueueMessage("message-2", "pop-receipt-2", body, 1);
        var processor = new Mock<StartFrame.Core.WaysIn.IRecheckQueueProcessor>();

        await new UploadRecheckDue(processor.Object).Run(message, Context());

        processor.Verify(p => p.ProcessAsync(body, _cancellation.Token), Times.Once);
        processor.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Tracking_trigger_passes_text_dequeue_count_and_the_token()
    {
        const string body = """{"taskId":"abc123","ledgerPartitionKey":"b:x","ledgerRowKey":"-"}""";
        var message = QueuesModelFactory.QueueMessage("message-7", "pop-receipt-7", body, 2);
        var tracker = new Mock<IVideoTracker>();

        await new VideoTrackingDue(tracker.Object).Run(message, Context());

        tracker.Verify(t => t.TrackAsync(body, 2, _cancellation.Token), Times.Once);
        tracker.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Tracking_trigger_lets_a_storage_failure_surface_so_the_host_retries()
    {
        var message = QueuesModelFactory.QueueMessage("message-8", "pop-receipt-8", "{}", 1);
        var tracker = new Mock<IVideoTracker>();
        tracker.Setup(t => t.TrackAsync(It.IsAny<string>(), It.IsAny<long>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new Azure.RequestFailedException(503, "storage unavailable"));

        await Assert.ThrowsAsync<Azure.RequestFailedException>(() => new VideoTrackingDue(tracker.Object).Run(message, Context()));
    }

    [Fact]
    public async Task Owed_records_timer_sweeps_with_the_grace_period_and_the_token()
    {
        var sweeper = new Mock<StartFrame.Core.Redrives.IOwedRecordSweeper>();
        sweeper.Setup(s => s.SweepAsync(It.IsAny<TimeSpan>(), It.IsAny<bool>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);

        await new OwedRecordsDue(sweeper.Object).Run(new TimerInfo(), Context());

        // The grace leaves a fresh debt to the redelivery that is on its way; a dry run would never write anything.
        sweeper.Verify(s => s.SweepAsync(StartFrame.Core.Redrives.OwedRecordSweeper.DefaultGrace, false, _cancellation.Token), Times.Once);
        sweeper.VerifyNoOtherCalls();
    }

    private FunctionContext Context()
    {
        var context = new Mock<FunctionContext>();
        context.Setup(c => c.InvocationId).Returns(InvocationId);
        context.Setup(c => c.CancellationToken).Returns(_cancellation.Token);
        return context.Object;
    }
}
