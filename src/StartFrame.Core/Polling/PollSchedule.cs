namespace StartFrame.Core.Polling;

/// <summary>
/// When a task is polled: <c>PollFirstDelay</c> after submission, then doubling up to <c>PollMaxDelay</c>
/// (<c>OffPeakPollMaxDelay</c> for off-peak tasks), never past the horizon (<c>TrackingHorizon</c> after submission),
/// where a task still unfinished is given up on. Pure, so every branch is tested directly.
/// </summary>
public sealed class PollSchedule(StartFrameOptions options)
{
    /// <summary>The wait before poll number <paramref name="poll"/> (0-based) of a task.</summary>
    public TimeSpan DelayBefore(int poll, bool offPeak)
    {
        var cap = offPeak ? options.OffPeakPollMaxDelay : options.PollMaxDelay;
        var delay = options.PollFirstDelay;
        for (var i = 0; i < poll && delay < cap; i++)
        {
            delay += delay;
        }

        return delay < cap ? delay : cap;
    }

    /// <summary>How long after submission tracking gives up (<c>StartFrame:TrackingHorizon</c>).</summary>
    public TimeSpan Horizon => options.TrackingHorizon;

    /// <summary>When tracking a task submitted at <paramref name="submittedAt"/> gives up.</summary>
    public DateTimeOffset HorizonOf(DateTimeOffset submittedAt) => submittedAt + options.TrackingHorizon;

    /// <summary>True when a task not finished by <paramref name="now"/> is given up on.</summary>
    public bool IsPastHorizon(TrackingMessage message, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        return now >= HorizonOf(message.SubmittedAt);
    }

    /// <summary>The first tracking message of a task just submitted.</summary>
    public TrackingMessage First(string taskId, string ledgerPartitionKey, string ledgerRowKey, DateTimeOffset submittedAt, bool offPeak, string correlationId) => new()
    {
        TaskId = taskId,
        LedgerPartitionKey = ledgerPartitionKey,
        LedgerRowKey = ledgerRowKey,
        SubmittedAt = submittedAt,
        OffPeak = offPeak,
        Poll = 0,
        DueAt = Cap(submittedAt + DelayBefore(0, offPeak), submittedAt),
        CorrelationId = correlationId,
    };

    /// <summary>The message for the poll after <paramref name="current"/>, made at <paramref name="now"/>; it waits at
    /// least <paramref name="atLeast"/> (a <c>Retry-After</c>) and is due at the horizon at the latest.</summary>
    public TrackingMessage Next(TrackingMessage current, DateTimeOffset now, TimeSpan? atLeast = null)
    {
        ArgumentNullException.ThrowIfNull(current);
        var poll = current.Poll + 1;
        var wait = DelayBefore(poll, current.OffPeak);
        if (atLeast is { } minimum && minimum > wait)
        {
            wait = minimum;
        }

        // Past the horizon the cap would be a time gone by, and a message due at once comes straight back: a retry
        // there (a copy that keeps failing) waits its turn on the schedule like any other.
        var due = now + wait;
        return current with { Poll = poll, DueAt = now < HorizonOf(current.SubmittedAt) ? Cap(due, current.SubmittedAt) : due };
    }

    private DateTimeOffset Cap(DateTimeOffset due, DateTimeOffset submittedAt)
    {
        var horizon = HorizonOf(submittedAt);
        return due < horizon ? due : horizon;
    }
}
