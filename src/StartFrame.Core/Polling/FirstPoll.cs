using ModelStream.Client;
using StartFrame.Core.Catalog;

namespace StartFrame.Core.Polling;

/// <summary>
/// The first tracking message of a task ModelStream just accepted: due when tasks of its shape are expected to be done
/// (<see cref="GenerationTimes"/>), or on the fixed schedule when that is not known, and carrying the shape so tracking
/// learns from this task in turn. Off-peak tasks keep their own schedule.
/// </summary>
public sealed class FirstPoll(PollSchedule schedule, GenerationTimes generationTimes, ModelCatalog catalog)
{
    /// <summary>The first message of task <paramref name="taskId"/>, submitted as <paramref name="request"/>. Never
    /// throws for want of an estimate: the task is recorded whatever the generation times table says.</summary>
    public async Task<TrackingMessage> ForAsync(string taskId, string ledgerPartitionKey, string ledgerRowKey, DateTimeOffset submittedAt, bool offPeak, VideoGenerationRequest request, string correlationId)
    {
        var shape = VideoShape.Of(catalog, request);
        var expected = offPeak ? null : await generationTimes.ExpectedAsync(shape).ConfigureAwait(false);
        return schedule.First(taskId, ledgerPartitionKey, ledgerRowKey, submittedAt, offPeak, correlationId, shape, expected);
    }
}
