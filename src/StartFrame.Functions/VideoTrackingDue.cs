using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using StartFrame.Core;
using StartFrame.Core.Tracking;

namespace StartFrame.Functions;

/// <summary>A tracking message on <c>video-tracking</c> fell due: poll the task once, then queue the next poll or finish it.</summary>
public sealed class VideoTrackingDue(IVideoTracker tracker)
{
    /// <summary>Hands the message to the core. The core schedules its own next poll (a new message with a visibility
    /// delay), so only a storage failure throws: the host retries the message (<c>maxDequeueCount</c>), then moves it to
    /// <c>video-tracking-poison</c>.</summary>
    [Function(nameof(VideoTrackingDue))]
    public Task Run(
        [QueueTrigger(StartFrameOptions.TrackingQueue, Connection = StartFrameOptions.StorageConnectionName)] QueueMessage message,
        FunctionContext context)
    {
        return tracker.TrackAsync(message.Body.ToString(), message.DequeueCount, context.CancellationToken);
    }
}
