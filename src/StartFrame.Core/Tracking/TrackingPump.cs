using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Options;

namespace StartFrame.Core.Tracking;

/// <summary>
/// Delivers <c>video-tracking</c> messages to the tracker the way the Functions queue trigger does — delete on success,
/// visible again after <see cref="RetryDelay"/> on failure, to <c>video-tracking-poison</c> after
/// <see cref="MaxDequeueCount"/> failed deliveries — for <c>startframe track</c> (local runs, scripts, the demo).
/// </summary>
public sealed class TrackingPump(QueueServiceClient queues, IVideoTracker tracker, IOptions<StartFrameOptions> options, TimeProvider timeProvider)
{
    /// <summary>Deliveries before a failing message is poisoned (host.json <c>maxDequeueCount</c>).</summary>
    public const int MaxDequeueCount = 5;

    /// <summary>How long a failed message stays invisible before its next delivery (host.json <c>visibilityTimeout</c>).</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(30);

    /// <summary>The poison queue, named as the Functions host names it.</summary>
    public const string PoisonQueue = StartFrameOptions.TrackingQueue + "-poison";

    private const int Batch = 16;
    private readonly QueueClient _queue = queues.GetQueueClient(StartFrameOptions.TrackingQueue);
    private readonly QueueClient _poison = queues.GetQueueClient(PoisonQueue);

    /// <summary>
    /// Delivers messages as they fall due. With <paramref name="untilIdle"/> it returns once the queue holds no message
    /// at all, visible or waiting (every task it tracked has ended); otherwise it runs until cancelled.
    /// </summary>
    /// <param name="untilIdle">Stop when nothing is left to track.</param>
    /// <param name="idlePoll">How long to wait after finding no message due (1 s locally).</param>
    /// <param name="report">Called with each delivery's outcome, or with the exception of one that failed.</param>
    /// <param name="cancellationToken">Stops the pump.</param>
    /// <returns>The number of deliveries made.</returns>
    public async Task<int> RunAsync(bool untilIdle, TimeSpan idlePoll, Action<TrackingOutcome?, Exception?> report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var deliveries = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            // Held for the claim lease: a message is ours while we work on it, as the host holds it while a function runs.
            var messages = (await _queue.ReceiveMessagesAsync(Batch, options.Value.ClaimLease, cancellationToken).ConfigureAwait(false)).Value;
            if (messages.Length == 0)
            {
                if (untilIdle && await IsEmptyAsync(cancellationToken).ConfigureAwait(false))
                {
                    return deliveries;
                }

                await Task.Delay(idlePoll, timeProvider, cancellationToken).ConfigureAwait(false);
                continue;
            }

            foreach (var message in messages)
            {
                deliveries++;
                await DeliverAsync(message, report, cancellationToken).ConfigureAwait(false);
            }
        }

        return deliveries;
    }

    private async Task DeliverAsync(QueueMessage message, Action<TrackingOutcome?, Exception?> report, CancellationToken cancellationToken)
    {
        try
        {
            var outcome = await tracker.TrackAsync(message.Body.ToString(), message.DequeueCount, cancellationToken).ConfigureAwait(false);
            await _queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
            report(outcome, null);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            report(null, ex);
            if (message.DequeueCount >= MaxDequeueCount)
            {
                await _poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                await _poison.SendMessageAsync(message.Body.ToString(), cancellationToken).ConfigureAwait(false);
                await _queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await _queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: RetryDelay, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<bool> IsEmptyAsync(CancellationToken cancellationToken)
    {
        // The approximate count includes messages still invisible (polls not due yet): zero means nothing is tracked.
        var properties = await _queue.GetPropertiesAsync(cancellationToken).ConfigureAwait(false);
        return properties.Value.ApproximateMessagesCount == 0;
    }
}
