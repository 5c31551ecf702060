using Azure.Storage.Queues;
using StartFrame.Core.WaysIn;
using StartFrame.LocalDev;
using StartFrame.LocalDev.InProcess;

namespace StartFrame.IntegrationTests.Infrastructure;

/// <summary>The host-like queue pump of <c>StartFrame.LocalDev</c>, set up for tests: host.json's settings with failed
/// messages visible again at once (host.json waits 30 s), and a drain that delivers until nothing is visible.</summary>
public static class QueuePumps
{
    /// <summary>host.json's queue trigger settings, as the function app and <c>startframe dev</c> use them.</summary>
    public static QueueTriggerSettings HostJsonSettings { get; } = HostJson.Read(RepoLayout.Find().HostJson).Queues;

    /// <summary>Pumps <paramref name="queue"/> into the submissions processor, as the <c>SubmissionQueued</c> function does.</summary>
    public static QueuePump Submissions(QueueClient queue, QueueClient poison, ISubmissionQueueProcessor processor) =>
        new(queue, poison, (message, cancellationToken) => processor.ProcessAsync(message.Body.ToString(), message.MessageId, message.DequeueCount, cancellationToken),
            HostJsonSettings with { VisibilityTimeout = TimeSpan.Zero });

    /// <summary>Delivers batch after batch until the queue shows none; returns how many deliveries were made (at most <paramref name="limit"/> batches).</summary>
    public static async Task<int> DrainAsync(this QueuePump pump, int limit = 50)
    {
        var deliveries = 0;
        for (var batch = 0; batch < limit; batch++)
        {
            var delivered = await pump.DeliverBatchAsync(CancellationToken.None);
            if (delivered == 0)
            {
                break;
            }

            deliveries += delivered;
        }

        return deliveries;
    }
}
