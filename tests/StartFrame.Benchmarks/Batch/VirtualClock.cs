namespace StartFrame.Benchmarks.Batch;

/// <summary>
/// A fake clock that knows its timers: unlike <c>FakeTimeProvider</c> it can say when the next one is due, which is what
/// lets the P4 driver move time on only to the next thing that can happen (a Retry-After wait, a poll, a message's
/// visibility) once every worker instance is idle. Timers fire on the thread pool, never on the driver's thread, so a
/// fired continuation shows up as pending work the idle check sees.
/// </summary>
internal sealed class VirtualClock(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<VirtualTimer> _timers = [];
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new VirtualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>When the earliest armed timer is due; null when none is armed.</summary>
    public DateTimeOffset? NextTimerDue
    {
        get
        {
            lock (_gate)
            {
                return _timers.Count == 0 ? null : _timers.Min(t => t.Due);
            }
        }
    }

    /// <summary>Moves the clock to <paramref name="when"/> (never back), firing every timer due by then in due order.</summary>
    public void AdvanceTo(DateTimeOffset when)
    {
        while (true)
        {
            VirtualTimer? next;
            lock (_gate)
            {
                next = _timers.Where(t => t.Due <= when).MinBy(t => t.Due);
                if (next is null)
                {
                    if (when > _now)
                    {
                        _now = when;
                    }

                    return;
                }

                if (next.Due > _now)
                {
                    _now = next.Due;
                }

                _timers.Remove(next);
                if (next.Period > TimeSpan.Zero)
                {
                    next.Due = _now + next.Period;
                    _timers.Add(next);
                }
            }

            next.Fire();
        }
    }

    private void Arm(VirtualTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                return;
            }

            timer.Due = _now + (dueTime < TimeSpan.Zero ? TimeSpan.Zero : dueTime);
            timer.Period = period == Timeout.InfiniteTimeSpan ? TimeSpan.Zero : period;
            _timers.Add(timer);
        }
    }

    private void Disarm(VirtualTimer timer)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
        }
    }

    private sealed class VirtualTimer(VirtualClock clock, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset Due { get; set; }

        public TimeSpan Period { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            clock.Arm(this, dueTime, period);
            return true;
        }

        public void Fire() => ThreadPool.UnsafeQueueUserWorkItem(static s => s.callback(s.state), (callback, state), preferLocal: false);

        public void Dispose() => clock.Disarm(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
