using Azure.Storage.Queues.Models;
using Microsoft.Extensions.DependencyInjection;
using StartFrame.Core.Storage;
using StartFrame.Core.Tracking;
using StartFrame.Core.WaysIn;

namespace StartFrame.Benchmarks.Batch;

/// <summary>
/// What each queue trigger of the app calls in the core, by its <c>[Function]</c> name, as the function adapters (and the
/// in-process host) call it. P4 pumps every queue trigger of <see cref="TriggerTable"/>, so a queue added to the app is
/// pumped without a change here; only its call into the core needs its line below — and P4 refuses to run without it
/// (<see cref="For"/>) rather than leave a queue unpumped and its uploads lost.
/// </summary>
internal static class QueueFunctions
{
    private static readonly Dictionary<string, Func<IServiceProvider, QueueMessage, CancellationToken, Task<TrackingOutcome?>>> Calls = new(StringComparer.Ordinal)
    {
        ["SubmissionQueued"] = async (services, message, cancellationToken) =>
        {
            await services.GetRequiredService<ISubmissionQueueProcessor>().ProcessAsync(message.Body.ToString(), message.MessageId, message.DequeueCount, cancellationToken);
            return null;
        },
        ["UploadRecheckDue"] = async (services, message, cancellationToken) =>
        {
            await services.GetRequiredService<IRecheckQueueProcessor>().ProcessAsync(message.Body.ToString(), cancellationToken);
            return null;
        },
        ["VideoTrackingDue"] = async (services, message, cancellationToken) =>
            await services.GetRequiredService<IVideoTracker>().TrackAsync(message.Body.ToString(), message.DequeueCount, cancellationToken),
    };

    /// <summary>The call of <paramref name="trigger"/>; a tracking delivery returns its outcome, the others null.</summary>
    /// <exception cref="BenchmarkFailedException">The trigger is new to this list.</exception>
    public static Func<IServiceProvider, QueueMessage, CancellationToken, Task<TrackingOutcome?>> For(Trigger trigger)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        return Calls.TryGetValue(trigger.Function, out var call)
            ? call
            : throw new BenchmarkFailedException(
                $"P4 pumps every queue trigger of the trigger table, and {trigger.Function} (queue {trigger.Source}) has no call into the core in "
                + "tests/StartFrame.Benchmarks/Batch/QueueFunctions.cs: add the line its function adapter makes.");
    }
}
