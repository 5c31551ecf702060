using StartFrame.LocalDev.Dev;

namespace StartFrame.IntegrationTests.Infrastructure;

/// <summary>Collects what an in-process host reports and lets a test wait for a given activity: a signal from the host
/// itself, not a guess at how long it takes. The timeout only bounds a test that would otherwise hang.</summary>
public sealed class ActivityLog
{
    private readonly List<DevActivity> _seen = [];
    private readonly List<(Func<DevActivity, bool> Match, TaskCompletionSource<DevActivity> Done)> _waiters = [];

    public IReadOnlyList<DevActivity> Seen
    {
        get
        {
            lock (_seen)
            {
                return [.. _seen];
            }
        }
    }

    public void Add(DevActivity activity)
    {
        lock (_seen)
        {
            _seen.Add(activity);
            foreach (var waiter in _waiters.Where(w => w.Match(activity)).ToList())
            {
                waiter.Done.TrySetResult(activity);
                _waiters.Remove(waiter);
            }
        }
    }

    /// <summary>The first activity matching <paramref name="match"/>, already seen or still to come.</summary>
    public async Task<DevActivity> WaitForAsync(Func<DevActivity, bool> match, string what, TimeSpan? timeout = null)
    {
        TaskCompletionSource<DevActivity> done;
        lock (_seen)
        {
            if (_seen.FirstOrDefault(match) is { } already)
            {
                return already;
            }

            done = new TaskCompletionSource<DevActivity>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, done));
        }

        try
        {
            return await done.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No {what}; the host reported: {string.Join("; ", Seen)}");
        }
    }
}
