using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace StartFrame.LocalDev.InProcess;

/// <summary>
/// Delivers the messages of one queue to a handler the way the Functions queue trigger does, with host.json's settings:
/// up to <see cref="QueueTriggerSettings.BatchSize"/> at once, the next batch when no more than
/// <see cref="QueueTriggerSettings.NewBatchThreshold"/> still run, polling an empty queue with a backoff up to
/// <see cref="QueueTriggerSettings.MaxPollingInterval"/>; delete on success, visible again after
/// <see cref="QueueTriggerSettings.VisibilityTimeout"/> on failure, moved to the poison queue once
/// <see cref="QueueTriggerSettings.MaxDequeueCount"/> deliveries have failed.
/// </summary>
/// <param name="queue">The queue to pump.</param>
/// <param name="poison">Its poison queue (the host names it <c>&lt;queue&gt;-poison</c>); created when first needed.</param>
/// <param name="handler">The function: it throws to have the message delivered again.</param>
/// <param name="settings">The trigger settings (<see cref="HostJson.Queues"/>).</param>
/// <param name="report">Told what became of each delivery.</param>
public sealed class QueuePump(
    QueueClient queue,
    QueueClient poison,
    Func<QueueMessage, CancellationToken, Task> handler,
    QueueTriggerSettings settings,
    Action<QueueDelivery>? report = null)
{
    // The Functions listener starts polling an empty queue at 100 ms and doubles up to maxPollingInterval.
    private static readonly TimeSpan MinPollingInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Fetches one batch and delivers it; returns how many messages were delivered (0 when the queue had none visible).</summary>
    public async Task<int> DeliverBatchAsync(CancellationToken cancellationToken)
    {
        var messages = await ReceiveAsync(cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(messages.Select(m => DeliverAsync(m, cancellationToken))).ConfigureAwait(false);
        return messages.Length;
    }

    /// <summary>Delivers messages as they arrive until <paramref name="cancellationToken"/> is cancelled, then waits for those running.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var running = new List<Task>();
        var idle = MinPollingInterval;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                running.RemoveAll(t => t.IsCompleted);
                if (running.Count > settings.NewBatchThreshold)
                {
                    await Task.WhenAny(running).WaitAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var messages = await ReceiveAsync(cancellationToken).ConfigureAwait(false);
                if (messages.Length == 0)
                {
                    // Polling is the queue trigger's own mechanism: storage queues push nothing.
                    await Task.Delay(idle, cancellationToken).ConfigureAwait(false);
                    idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, settings.MaxPollingInterval.Ticks));
                    continue;
                }

                idle = MinPollingInterval;
                running.AddRange(messages.Select(m => DeliverAsync(m, cancellationToken)));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }

        await Task.WhenAll(running).ConfigureAwait(false);
    }

    private async Task<QueueMessage[]> ReceiveAsync(CancellationToken cancellationToken)
    {
        var batch = Math.Clamp(settings.BatchSize, 1, 32); // the service's own limit per receive
        return (await queue.ReceiveMessagesAsync(batch, settings.InvisibleWhileRunning, cancellationToken).ConfigureAwait(false)).Value;
    }

    // The bookkeeping after a run (delete, give back, poison) is not cancelled: left half done, a message would hide for
    // the whole run's invisibility or be delivered once more than the host would.
    private async Task DeliverAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        var none = CancellationToken.None;
        try
        {
            await handler(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped mid-run: give the message back now rather than after the whole run's invisibility.
            await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: none).ConfigureAwait(false);
            Report(message, QueueDeliveryOutcome.Released, null);
            return;
        }
        catch (Exception ex) when (message.DequeueCount >= settings.MaxDequeueCount)
        {
            await poison.CreateIfNotExistsAsync(cancellationToken: none).ConfigureAwait(false);
            await poison.SendMessageAsync(message.Body, cancellationToken: none).ConfigureAwait(false);
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, none).ConfigureAwait(false);
            Report(message, QueueDeliveryOutcome.Poisoned, ex.Message);
            return;
        }
        catch (Exception ex)
        {
            await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: settings.VisibilityTimeout, cancellationToken: none).ConfigureAwait(false);
            Report(message, QueueDeliveryOutcome.Retrying, ex.Message);
            return;
        }

        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, none).ConfigureAwait(false);
        Report(message, QueueDeliveryOutcome.Completed, null);
    }

    private void Report(QueueMessage message, QueueDeliveryOutcome outcome, string? error) =>
        report?.Invoke(new QueueDelivery(queue.Name, message.MessageId, message.DequeueCount, outcome, error));
}
