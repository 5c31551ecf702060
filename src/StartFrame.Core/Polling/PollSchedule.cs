namespace StartFrame.Core.Polling;

/// <summary>
/// When a task is polled: <c>PollFirstDelay</c> after submission, then doubling up to <c>PollMaxDelay</c>
/// (<c>OffPeakPollMaxDelay</c> for off-peak tasks), never past the horizon (<c>TrackingHorizon</c> after submission),
/// where a task still unfinished is given up on. A standard task whose shape has been seen to finish is polled first at
/// the time it is expected to take, then a near step later (<c>PollNearFraction</c> of it, at least
/// <c>PollNearMinDelay</c>), then doubling from that step: its video lands within about a step of the generation time
/// instead of up to half the doubling later. Pure, so every branch is tested directly.
/// </summary>
public sealed class PollSchedule(StartFrameOptions options)
{
    /// <summary>A poll delivered this long after it was due (the host delivering it again after a failed run, a backlog)
    /// says nothing of when the task ended: it teaches no generation time.</summary>
    public static readonly TimeSpan LateDelivery = TimeSpan.FromMinutes(1);

    /// <summary>The earliest first poll an expected time places: a queue's visibility delay counts whole seconds.</summary>
    public static readonly TimeSpan MinExpected = TimeSpan.FromSeconds(1);

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

    /// <summary>The wait before poll number <paramref name="poll"/> (0-based) of a task expected to take
    /// <paramref name="expected"/>: the expected time itself, then the near step, doubling up to <c>PollMaxDelay</c>.</summary>
    public TimeSpan DelayBefore(int poll, TimeSpan expected)
    {
        if (poll == 0)
        {
            return expected;
        }

        var cap = options.PollMaxDelay;
        var delay = NearStep(expected);
        for (var i = 1; i < poll && delay < cap; i++)
        {
            delay += delay;
        }

        return delay < cap ? delay : cap;
    }

    /// <summary>The wait after a poll at the expected time found the task unfinished: a fraction of that time, so the
    /// overshoot stays a fraction of it too, but at least <c>PollNearMinDelay</c> (a visibility delay counts whole seconds).</summary>
    public TimeSpan NearStep(TimeSpan expected)
    {
        var step = expected * options.PollNearFraction;
        return step > options.PollNearMinDelay ? step : options.PollNearMinDelay;
    }

    /// <summary>
    /// How long a task took as its polls saw it, when the poll at <paramref name="doneAt"/> found it done: it ended after
    /// the last poll that found it unfinished (<see cref="TrackingMessage.UnfinishedAt"/>) and before this one, so the
    /// middle of the two. When no poll found it unfinished it may have ended long before: half a near step before this
    /// poll is taken as that bound, so an estimate that finds every task done creeps down (a quarter step per task, times
    /// the mean's weight) until a poll misses, which sets it back up by half a step: it hovers just under the real time,
    /// and about one task in three takes the poll a near step later.
    /// Null for a poll not after the submission, and for one delivered over <see cref="LateDelivery"/> after its due time.
    /// </summary>
    public TimeSpan? GenerationTimeSeen(TrackingMessage message, DateTimeOffset doneAt)
    {
        ArgumentNullException.ThrowIfNull(message);
        var upper = doneAt - message.SubmittedAt;
        if (upper <= TimeSpan.Zero || doneAt - message.DueAt > LateDelivery)
        {
            return null;
        }

        var lower = message.UnfinishedAt is { } unfinished ? unfinished - message.SubmittedAt : upper - (NearStep(upper) / 2);
        lower = lower < TimeSpan.Zero ? TimeSpan.Zero : lower > upper ? upper : lower;
        return lower + ((upper - lower) / 2);
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

    /// <summary>The first tracking message of a task just submitted. A standard task of <paramref name="shape"/> is
    /// polled first at <paramref name="expected"/> when that is known; an off-peak one keeps its own schedule and
    /// teaches nothing (no shape).</summary>
    public TrackingMessage First(string taskId, string ledgerPartitionKey, string ledgerRowKey, DateTimeOffset submittedAt, bool offPeak, string correlationId, VideoShape? shape = null, TimeSpan? expected = null)
    {
        var near = offPeak || expected is not { } time || time <= TimeSpan.Zero ? (TimeSpan?)null : time < MinExpected ? MinExpected : time;
        return new()
        {
            TaskId = taskId,
            LedgerPartitionKey = ledgerPartitionKey,
            LedgerRowKey = ledgerRowKey,
            SubmittedAt = submittedAt,
            OffPeak = offPeak,
            Poll = 0,
            DueAt = Cap(submittedAt + (near is { } at ? at : DelayBefore(0, offPeak)), submittedAt),
            CorrelationId = correlationId,
            Shape = offPeak ? null : shape,
            Expected = near,
        };
    }

    /// <summary>The message for the poll after <paramref name="current"/>, made at <paramref name="now"/>; it waits at
    /// least <paramref name="atLeast"/> (a <c>Retry-After</c>) and is due at the horizon at the latest.</summary>
    public TrackingMessage Next(TrackingMessage current, DateTimeOffset now, TimeSpan? atLeast = null)
    {
        ArgumentNullException.ThrowIfNull(current);
        var poll = current.Poll + 1;
        var wait = current.Expected is { } expected && !current.OffPeak ? DelayBefore(poll, expected) : DelayBefore(poll, current.OffPeak);
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
