using System.Text.Json;
using Azure.Storage.Queues;

namespace StartFrame.Core.Polling;

/// <summary>
/// The <c>video-tracking</c> queue: each message is sent invisible until its poll is due, so the queue itself is the
/// timer and no function waits. Messages never expire (a time-to-live of -1): a task is tracked until it ends,
/// however long the app was down.
/// </summary>
public sealed class TrackingQueueClient(QueueServiceClient queues, TimeProvider timeProvider)
{
    /// <summary>The longest visibility delay the service accepts (7 days).</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromDays(7) - TimeSpan.FromSeconds(1);

    private static readonly TimeSpan NeverExpires = TimeSpan.FromSeconds(-1);
    private readonly QueueClient _queue = queues.GetQueueClient(StartFrameOptions.TrackingQueue);

    /// <summary>Sends <paramref name="message"/>, visible at its <see cref="TrackingMessage.DueAt"/>.</summary>
    public Task ScheduleAsync(TrackingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return _queue.SendMessageAsync(Serialize(message), DelayUntil(message.DueAt), NeverExpires, cancellationToken);
    }

    /// <summary>Sends a message kept as JSON (one the ledger owed), visible at its due time (now, if that has passed).</summary>
    public Task ScheduleAsync(string json, CancellationToken cancellationToken)
    {
        var message = TryParse(json, out var problem) ?? throw new ArgumentException($"Not a tracking message: {problem}", nameof(json));
        return _queue.SendMessageAsync(json, DelayUntil(message.DueAt), NeverExpires, cancellationToken);
    }

    /// <summary>The JSON of a tracking message, exactly as it is queued.</summary>
    public static string Serialize(TrackingMessage message) => JsonSerializer.Serialize(message, PollingJsonContext.Default.TrackingMessage);

    /// <summary>Reads a tracking message; null (with the reason) when the text is not one.</summary>
    public static TrackingMessage? TryParse(string text, out string problem)
    {
        try
        {
            var message = JsonSerializer.Deserialize(text, PollingJsonContext.Default.TrackingMessage);
            if (message is null)
            {
                problem = "the message is JSON null";
                return null;
            }

            // A task id that cannot be polled (blank, "..", a slash) fails every delivery the same way: it is no message of ours.
            if (ModelStream.Client.TaskIdRule.Problem(message.TaskId) is { } idProblem)
            {
                problem = $"its taskId cannot be polled: {idProblem}";
                return null;
            }

            problem = "";
            return message;
        }
        catch (JsonException ex)
        {
            // Required members missing, wrong types or not JSON at all: our own output would never look like this.
            problem = ex.Message;
            return null;
        }
    }

    private TimeSpan DelayUntil(DateTimeOffset dueAt)
    {
        // The service counts visibility in whole seconds and the SDK truncates: round up, or a poll comes back early.
        var delay = TimeSpan.FromSeconds(Math.Ceiling((dueAt - timeProvider.GetUtcNow()).TotalSeconds));
        return delay <= TimeSpan.Zero ? TimeSpan.Zero : delay < MaxDelay ? delay : MaxDelay;
    }
}
