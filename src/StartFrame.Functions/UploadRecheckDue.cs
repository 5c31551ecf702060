using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using StartFrame.Core;
using StartFrame.Core.WaysIn;

namespace StartFrame.Functions;

/// <summary>A re-check on <c>upload-rechecks</c> is due: an upload met another run's claim, whose lease has now ended.</summary>
public sealed class UploadRecheckDue(IRecheckQueueProcessor processor)
{
    /// <summary>Hands the message to the core, which runs the upload through the pipeline again. A transient failure
    /// throws, so the host retries the message (<c>maxDequeueCount</c>) and then moves it to <c>upload-rechecks-poison</c>.</summary>
    [Function(nameof(UploadRecheckDue))]
    public Task Run(
        [QueueTrigger(StartFrameOptions.RechecksQueue, Connection = StartFrameOptions.StorageConnectionName)] QueueMessage message,
        FunctionContext context)
    {
        return processor.ProcessAsync(message.Body.ToString(), context.CancellationToken);
    }
}
