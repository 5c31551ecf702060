using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Time.Testing;
using StartFrame.Core.Polling;
using StartFrame.Core.Tracking;

namespace StartFrame.IntegrationTests.Infrastructure;

/// <summary>
/// Drives <c>video-tracking</c> on a fake clock, against real Azurite: the core sends every tracking message exactly as
/// in production, but <see cref="DueNowPolicy"/> lets Azurite make it visible at once; this driver then delivers the
/// message due first, moving the fake clock (shared by the core and the simulator) to its <c>dueAt</c> — so hours of
/// polling run in milliseconds, with no sleeps, and every storage and API request is still a real one. Delivery is as
/// the host does it: delete on success, visible again on failure.
/// </summary>
public sealed class FakeClockTracking(QueueClient queue, Func<IVideoTracker> tracker, FakeTimeProvider clock)
{
    /// <summary>Delivers until no message is left (every task ended), at most <paramref name="limit"/> deliveries.</summary>
    public async Task<IReadOnlyList<TrackingOutcome>> RunUntilIdleAsync(int limit = 1000)
    {
        var outcomes = new List<TrackingOutcome>();
        while (outcomes.Count < limit && await DeliverNextAsync() is { } outcome)
        {
            outcomes.Add(outcome);
        }

        return outcomes;
    }

    /// <summary>Delivers the message due first, after moving the clock to its due time; null when the queue is empty.</summary>
    public async Task<TrackingOutcome?> DeliverNextAsync()
    {
        var messages = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5))).Value;
        if (messages.Length == 0)
        {
            return null;
        }

        var ordered = messages.OrderBy(DueAt).ToList();
        foreach (var other in ordered.Skip(1))
        {
            await queue.UpdateMessageAsync(other.MessageId, other.PopReceipt, visibilityTimeout: TimeSpan.Zero);
        }

        var next = ordered[0];
        var due = DueAt(next);
        if (due > clock.GetUtcNow())
        {
            clock.SetUtcNow(due);
        }

        TrackingOutcome outcome;
        try
        {
            outcome = await tracker().TrackAsync(next.Body.ToString(), next.DequeueCount, CancellationToken.None);
        }
        catch
        {
            // As the host: the message comes back for another delivery.
            await queue.UpdateMessageAsync(next.MessageId, next.PopReceipt, visibilityTimeout: TimeSpan.Zero);
            throw;
        }

        await queue.DeleteMessageAsync(next.MessageId, next.PopReceipt);
        return outcome;
    }

    /// <summary>Puts a second copy of the next message on the queue: a duplicate delivery, as at-least-once queues make.</summary>
    public async Task<string> DuplicateNextAsync()
    {
        var message = (await queue.PeekMessagesAsync(1)).Value.Single();
        await queue.SendMessageAsync(message.Body.ToString());
        return message.Body.ToString();
    }

    /// <summary>The tracking messages waiting, as JSON.</summary>
    public async Task<IReadOnlyList<JsonObject>> PendingAsync() =>
        (await queue.PeekMessagesAsync(32)).Value.Select(m => JsonNode.Parse(m.Body.ToString())!.AsObject()).ToList();

    private static DateTimeOffset DueAt(QueueMessage message) =>
        TrackingQueueClient.TryParse(message.Body.ToString(), out _)?.DueAt ?? DateTimeOffset.MinValue;
}

/// <summary>
/// On the core's queue client: a tracking or re-check message is sent with its real visibility delay, which this policy sets to 0
/// on the wire, so Azurite shows it at once and <see cref="FakeClockTracking"/> decides when it is "due". Without
/// <paramref name="rechecksToo"/> a re-check keeps its real delay, for tests that watch it being woken before its time.
/// </summary>
public sealed partial class DueNowPolicy(bool rechecksToo = true) : HttpPipelinePolicy
{
    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Rewrite(message);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Rewrite(message);
        return ProcessNextAsync(message, pipeline);
    }

    private void Rewrite(HttpMessage message)
    {
        var uri = message.Request.Uri;
        if (message.Request.Method == RequestMethod.Post
            && (uri.Path.EndsWith("/" + Core.StartFrameOptions.TrackingQueue + "/messages", StringComparison.Ordinal)
                || (rechecksToo && uri.Path.EndsWith("/" + Core.StartFrameOptions.RechecksQueue + "/messages", StringComparison.Ordinal))))
        {
            uri.Query = VisibilityTimeout().Replace(uri.Query, "visibilitytimeout=0");
        }
    }

    [GeneratedRegex("visibilitytimeout=[0-9]+")]
    private static partial Regex VisibilityTimeout();
}
