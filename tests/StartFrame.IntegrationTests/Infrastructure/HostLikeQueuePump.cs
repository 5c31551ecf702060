using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using StartFrame.Core.Submissions;
using StartFrame.LocalDev;

namespace StartFrame.IntegrationTests.Infrastructure;

/// <summary>
/// Delivers queue messages to the core the way the Functions queue trigger does — delete on success, make visible
/// again on failure, move to <c>&lt;queue&gt;-poison</c> once <c>maxDequeueCount</c> (read from the repo's host.json)
/// deliveries have failed — so the queue path is tested without the Functions host.
/// </summary>
public sealed class HostLikeQueuePump(QueueClient queue, QueueClient poison, ISubmissionQueueProcessor processor)
{
    public static int MaxDequeueCount { get; } =
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepoLayout.Find().Root, "host.json")))!["extensions"]!["queues"]!["maxDequeueCount"]!.GetValue<int>();

    /// <summary>Delivers the next message once; false when the queue is empty.</summary>
    public async Task<bool> DeliverNextAsync()
    {
        var messages = (await queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(30))).Value;
        if (messages.Length == 0)
        {
            return false;
        }

        var message = messages[0];
        try
        {
            await processor.ProcessAsync(message.Body.ToString(), message.MessageId, message.DequeueCount, CancellationToken.None);
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
        }
        catch (Exception) when (message.DequeueCount >= MaxDequeueCount)
        {
            await poison.CreateIfNotExistsAsync();
            await poison.SendMessageAsync(message.Body.ToString());
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
        }
        catch (Exception)
        {
            await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero);
        }

        return true;
    }

    /// <summary>Delivers until the queue is empty, at most <paramref name="limit"/> deliveries.</summary>
    public async Task<int> DrainAsync(int limit = 50)
    {
        var deliveries = 0;
        while (deliveries < limit && await DeliverNextAsync())
        {
            deliveries++;
        }

        return deliveries;
    }
}
