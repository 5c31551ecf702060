using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using StartFrame.Core;
using StartFrame.Core.Polling;
using StartFrame.Core.Tracking;
using StartFrame.Core.WaysIn;

namespace StartFrame.IntegrationTests.Infrastructure;

/// <summary>
/// Drives <c>upload-rechecks</c> (uploads waiting for a provider slot, or for another run's claim) and <c>video-tracking</c>
/// together on a fake clock, against real Azurite, for several core instances at once: <see cref="DueNowPolicy"/> lets
/// Azurite show every message at once; this driver delivers the ones due first (all due within one second of each
/// other, at the same moment and spread over the instances), moving the fake clock to their due time. Delivery is as
/// the host does it: delete on success, visible again on failure.
/// </summary>
public sealed class FakeClockQueues(string connectionString, FakeTimeProvider clock, IReadOnlyList<IServiceProvider> instances)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);
    private readonly QueueClient _rechecks = new(connectionString, StartFrameOptions.RechecksQueue, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
    private readonly QueueClient _tracking = new(connectionString, StartFrameOptions.TrackingQueue, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
    private int _next;

    /// <summary>Deliveries made, by queue.</summary>
    public Dictionary<string, int> Deliveries { get; } = new() { [StartFrameOptions.RechecksQueue] = 0, [StartFrameOptions.TrackingQueue] = 0 };

    /// <summary>Deliveries that threw (the host would deliver them again).</summary>
    public List<Exception> Failures { get; } = [];

    /// <summary>Tracking outcomes, in delivery order.</summary>
    public List<TrackingOutcome> Tracked { get; } = [];

    /// <summary>Delivers until both queues are empty, at most <paramref name="limit"/> rounds.</summary>
    public async Task RunUntilIdleAsync(int limit = 5000)
    {
        for (var round = 0; round < limit; round++)
        {
            if (!await DeliverNextAsync())
            {
                return;
            }
        }

        throw new InvalidOperationException($"Still busy after {limit} rounds.");
    }

    /// <summary>Delivers the messages due first (and any due within a second of them); false when both queues are empty.</summary>
    public async Task<bool> DeliverNextAsync()
    {
        var pending = new List<(QueueClient Queue, QueueMessage Message, DateTimeOffset Due)>();
        foreach (var queue in new[] { _rechecks, _tracking })
        {
            while (true)
            {
                var batch = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5))).Value;
                pending.AddRange(batch.Select(m => (queue, m, DueAt(queue, m))));
                if (batch.Length < 32)
                {
                    break;
                }
            }
        }

        if (pending.Count == 0)
        {
            return false;
        }

        var first = pending.Min(p => p.Due);
        if (first > clock.GetUtcNow())
        {
            clock.SetUtcNow(first);
        }

        var due = pending.Where(p => p.Due <= first + Window).ToList();
        foreach (var later in pending.Except(due))
        {
            await later.Queue.UpdateMessageAsync(later.Message.MessageId, later.Message.PopReceipt, visibilityTimeout: TimeSpan.Zero);
        }

        await Task.WhenAll(due.Select(p => DeliverAsync(p.Queue, p.Message, instances[_next++ % instances.Count])));
        return true;
    }

    private async Task DeliverAsync(QueueClient queue, QueueMessage message, IServiceProvider instance)
    {
        lock (Deliveries)
        {
            Deliveries[queue.Name]++;
        }

        try
        {
            if (queue == _tracking)
            {
                var outcome = await instance.GetRequiredService<IVideoTracker>().TrackAsync(message.Body.ToString(), message.DequeueCount, CancellationToken.None);
                lock (Tracked)
                {
                    Tracked.Add(outcome);
                }
            }
            else
            {
                await instance.GetRequiredService<IRecheckQueueProcessor>().ProcessAsync(message.Body.ToString(), CancellationToken.None);
            }
        }
        catch (Exception ex)
        {
            lock (Failures)
            {
                Failures.Add(ex);
            }

            await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero);
            return;
        }

        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
    }

    private DateTimeOffset DueAt(QueueClient queue, QueueMessage message) => queue == _tracking
        ? TrackingQueueClient.TryParse(message.Body.ToString(), out _)?.DueAt ?? DateTimeOffset.MinValue
        : RecheckScheduler.Read(message.Body.ToString()).DueAt;
}
