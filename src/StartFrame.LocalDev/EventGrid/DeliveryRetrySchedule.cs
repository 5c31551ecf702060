namespace StartFrame.LocalDev.EventGrid;

/// <summary>When Event Grid tries a delivery again, and for how long it waits for an answer.</summary>
/// <param name="Delays">The wait before the 2nd, 3rd, ... attempt; the last one repeats.</param>
/// <param name="MaxAttempts">Attempts before the event is given up (Event Grid would dead-letter it).</param>
/// <param name="AttemptTimeout">How long one attempt waits for the answer.</param>
public sealed record DeliveryRetrySchedule(IReadOnlyList<TimeSpan> Delays, int MaxAttempts, TimeSpan AttemptTimeout)
{
    /// <summary>
    /// Event Grid's limits (30 attempts, 30 s per answer) on a shorter schedule: in Azure the first retry comes after
    /// 10 s, then 30 s, 1 min, 5 min and on; locally the usual failure is the host still starting, so retries begin
    /// after 1 s and stop growing at 1 min.
    /// </summary>
    public static DeliveryRetrySchedule Local { get; } = new(
        [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1)],
        MaxAttempts: 30,
        AttemptTimeout: TimeSpan.FromSeconds(30));

    /// <summary>The wait before attempt number <paramref name="attempt"/> (2 or more).</summary>
    public TimeSpan DelayBefore(int attempt) => Delays.Count == 0 ? TimeSpan.Zero : Delays[Math.Clamp(attempt - 2, 0, Delays.Count - 1)];
}
