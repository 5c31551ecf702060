namespace StartFrame.LocalDev.InProcess;

/// <summary>What became of one delivery of a queue message by <see cref="QueuePump"/>.</summary>
/// <param name="Queue">The queue's name.</param>
/// <param name="MessageId">The message id.</param>
/// <param name="DequeueCount">Which delivery of the message this was (1 for the first).</param>
/// <param name="Outcome">What the pump did with the message afterwards.</param>
/// <param name="Error">The handler's error message when it failed; null when it succeeded.</param>
public sealed record QueueDelivery(string Queue, string MessageId, long DequeueCount, QueueDeliveryOutcome Outcome, string? Error = null);

/// <summary>What <see cref="QueuePump"/> did with a message after running its handler.</summary>
public enum QueueDeliveryOutcome
{
    /// <summary>The handler succeeded; the message was deleted.</summary>
    Completed,

    /// <summary>The handler failed; the message becomes visible again after the visibility timeout.</summary>
    Retrying,

    /// <summary>The handler failed on the last allowed delivery; the message moved to the poison queue.</summary>
    Poisoned,

    /// <summary>The pump stopped while the handler ran; the message was made visible again at once.</summary>
    Released,
}
