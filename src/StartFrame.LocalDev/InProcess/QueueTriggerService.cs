using System.Collections.Concurrent;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StartFrame.Core.Storage;
using StartFrame.LocalDev.Dev;

namespace StartFrame.LocalDev.InProcess;

/// <summary>A queue trigger of the in-process host: one <see cref="QueuePump"/> running for the host's lifetime.</summary>
internal sealed class QueueTriggerService(QueuePump pump) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => pump.RunAsync(stoppingToken);
}

/// <summary>Registers queue triggers on the in-process host, the way a <c>[QueueTrigger]</c> function registers with the Functions host.</summary>
internal static class QueueTriggers
{
    /// <summary>
    /// Pumps <paramref name="queueName"/> (poison queue <c>&lt;queueName&gt;-poison</c>, as the host names it) into
    /// <paramref name="function"/>, called in a service scope of its own per message as the host scopes an invocation.
    /// </summary>
    public static void AddQueueTrigger(
        this IServiceCollection services,
        string queueName,
        QueueTriggerSettings settings,
        Action<DevActivity>? report,
        Func<IServiceProvider, QueueMessage, CancellationToken, Task> function)
        => services.AddQueueTrigger(queueName, settings, report, async (sp, message, cancellationToken) =>
        {
            await function(sp, message, cancellationToken).ConfigureAwait(false);
            return null;
        });

    /// <summary>
    /// As above, for a function that says what it came to: once its message is done, that is reported instead of
    /// <c>queue done &lt;queue&gt;/&lt;message id&gt;</c> (a tracking delivery says which task and where its video landed).
    /// </summary>
    public static void AddQueueTrigger(
        this IServiceCollection services,
        string queueName,
        QueueTriggerSettings settings,
        Action<DevActivity>? report,
        Func<IServiceProvider, QueueMessage, CancellationToken, Task<DevActivity?>> function)
    {
        // Not AddHostedService: it registers one service per implementation type, and each trigger is a QueueTriggerService.
        services.AddSingleton<IHostedService>(sp =>
        {
            // What each function said, kept until its message is deleted: a failed delivery reports the failure instead.
            var said = new ConcurrentDictionary<string, DevActivity>(StringComparer.Ordinal);
            void Report(QueueDelivery delivery)
            {
                var activity = said.TryRemove(delivery.MessageId, out var outcome) && delivery.Outcome == QueueDeliveryOutcome.Completed
                    ? outcome
                    : Describe(delivery, settings);
                report?.Invoke(activity);
            }

            var (queue, poison) = QueueTriggerClients.Create(StorageConnection.FromConfiguration(sp.GetRequiredService<IConfiguration>()), queueName, Report);
            var pump = new QueuePump(
                queue,
                poison,
                async (message, cancellationToken) =>
                {
                    await using var scope = sp.CreateAsyncScope();
                    if (await function(scope.ServiceProvider, message, cancellationToken).ConfigureAwait(false) is { } outcome)
                    {
                        said[message.MessageId] = outcome;
                    }
                },
                settings,
                Report);
            return new QueueTriggerService(pump);
        });
    }

    private static DevActivity Describe(QueueDelivery delivery, QueueTriggerSettings settings)
    {
        var subject = $"{delivery.Queue}/{delivery.MessageId}";
        var attempt = $"delivery {delivery.DequeueCount} of {settings.MaxDequeueCount}";
        return delivery.Outcome switch
        {
            QueueDeliveryOutcome.Completed => new DevActivity("queue", subject, "done"),
            QueueDeliveryOutcome.Retrying => new DevActivity("queue", subject, "retrying", $"{attempt} failed: {delivery.Error}; visible again in {settings.VisibilityTimeout}"),
            QueueDeliveryOutcome.Poisoned => new DevActivity("queue", subject, "poisoned", $"{attempt} failed: {delivery.Error}; moved to {delivery.Queue}-poison"),
            _ => new DevActivity("queue", subject, "released", "stopped while it ran; visible again now"),
        };
    }
}
