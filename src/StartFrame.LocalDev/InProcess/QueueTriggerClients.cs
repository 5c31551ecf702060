using Azure.Storage.Queues;
using StartFrame.Core.Storage;

namespace StartFrame.LocalDev.InProcess;

/// <summary>
/// The queue clients of one queue trigger, made as the Functions queue extension makes them: messages decoded with
/// host.json's encoding (base64), and a message that does not decode moved as it is to the poison queue, which is what
/// the host does (without it every receive of the batch would fail, and with it the trigger).
/// </summary>
internal static class QueueTriggerClients
{
    public static (QueueClient Queue, QueueClient Poison) Create(StorageConnection storage, string queueName, Action<QueueDelivery> report)
    {
        var raw = storage.CreateQueueServiceClient(new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        var options = QueueMessages.ClientOptions();
        options.MessageDecodingFailed += async args =>
        {
            if (args.ReceivedMessage is not { } message)
            {
                return; // a peek: nothing to move
            }

            var poison = raw.GetQueueClient(args.Queue.Name + "-poison");
            await poison.CreateIfNotExistsAsync(cancellationToken: args.CancellationToken).ConfigureAwait(false);
            await poison.SendMessageAsync(message.Body, cancellationToken: args.CancellationToken).ConfigureAwait(false);
            await args.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, args.CancellationToken).ConfigureAwait(false);
            report(new QueueDelivery(args.Queue.Name, message.MessageId, message.DequeueCount, QueueDeliveryOutcome.Poisoned,
                $"not {QueueMessages.Encoding} as host.json's messageEncoding says"));
        };

        var queues = storage.CreateQueueServiceClient(options);
        return (queues.GetQueueClient(queueName), queues.GetQueueClient(queueName + "-poison"));
    }
}
