using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using StartFrame.Core;
using StartFrame.Core.WaysIn;

namespace StartFrame.Functions;

/// <summary>A message on <c>video-submissions</c>, fed by other pipelines.</summary>
public sealed class SubmissionQueued(ISubmissionQueueProcessor processor)
{
    /// <summary>Hands the message to the core. Invalid input becomes a failure record; a transient failure throws,
    /// so the host retries the message (<c>maxDequeueCount</c>) and then moves it to <c>video-submissions-poison</c>.</summary>
    [Function(nameof(SubmissionQueued))]
    public Task Run(
        [QueueTrigger(StartFrameOptions.SubmissionsQueue, Connection = StartFrameOptions.StorageConnectionName)] QueueMessage message,
        FunctionContext context)
    {
        return processor.ProcessAsync(message.Body.ToString(), message.MessageId, message.DequeueCount, context.CancellationToken);
    }
}
