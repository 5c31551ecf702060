using StartFrame.LocalDev.Progress;

namespace StartFrame.IntegrationTests.LocalDev;

/// <summary>A long first-run step (npm ci, a first build) is never silent.</summary>
public sealed class HeartbeatTests
{
    [Fact]
    public async Task Says_what_runs_then_that_it_still_runs_with_the_time_then_how_long_it_took()
    {
        var lines = new List<string>();
        var beaten = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Log(string line)
        {
            lock (lines)
            {
                lines.Add(line);
                if (lines.Count == 2)
                {
                    beaten.TrySetResult();
                }
            }
        }

        await using (var heartbeat = Heartbeat.Start("npm ci (first run only)", Log, TimeSpan.FromMilliseconds(20)))
        {
            await beaten.Task.WaitAsync(TimeSpan.FromSeconds(30));
            heartbeat.Done();
        }

        List<string> said;
        lock (lines)
        {
            said = [.. lines];
        }

        Assert.Equal("npm ci (first run only)...", said[0]);
        Assert.Matches(@"^npm ci \(first run only\)\.\.\. \d+ s$", said[1]);
        Assert.Matches(@"^npm ci \(first run only\): done in \d+ s$", said[^1]);
    }
}
