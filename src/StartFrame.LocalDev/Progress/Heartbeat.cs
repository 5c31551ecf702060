using System.Diagnostics;
using System.Globalization;

namespace StartFrame.LocalDev.Progress;

/// <summary>
/// Says what a long step is (npm ci, the first build of a project), then every few seconds that it is still going and
/// for how long, so nobody watches a silent terminal for a minute on a first run. Dispose it when the step ends.
/// </summary>
public sealed class Heartbeat : IAsyncDisposable
{
    /// <summary>How often a running step says it is still running: under the 5 s that a person (or a CI log) waits before
    /// wondering whether anything still happens.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(4);

    private readonly string _what;
    private readonly Action<string> _log;
    private readonly Stopwatch _elapsed = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly Task _beating;
    private bool _done;

    private Heartbeat(string what, Action<string> log, TimeSpan interval)
    {
        _what = what;
        _log = log;
        _beating = BeatAsync(interval);
    }

    /// <summary>Writes <paramref name="what"/> now, then "<paramref name="what"/>... N s" every <paramref name="interval"/>.</summary>
    /// <param name="what">The step, e.g. "npm ci: Azurite from the lock (first run, about a minute)".</param>
    /// <param name="log">Where the lines go.</param>
    /// <param name="interval">Between two lines; <see cref="DefaultInterval"/> when null.</param>
    public static Heartbeat Start(string what, Action<string> log, TimeSpan? interval = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(what);
        ArgumentNullException.ThrowIfNull(log);
        log(what + "...");
        return new Heartbeat(what, log, interval ?? DefaultInterval);
    }

    /// <summary>Says the step finished and how long it took; no "still running" line follows it.</summary>
    public void Done()
    {
        lock (_gate)
        {
            _done = true;
            _log(string.Create(CultureInfo.InvariantCulture, $"{_what}: done in {Seconds(_elapsed.Elapsed)} s"));
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _beating.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task BeatAsync(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                lock (_gate)
                {
                    if (!_done)
                    {
                        _log(string.Create(CultureInfo.InvariantCulture, $"{_what}... {Seconds(_elapsed.Elapsed)} s"));
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The step ended.
        }
    }

    private static long Seconds(TimeSpan elapsed) => (long)Math.Round(elapsed.TotalSeconds);
}
