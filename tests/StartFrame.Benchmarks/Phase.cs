namespace StartFrame.Benchmarks;

/// <summary>Runs one measurement loop under its own time limit, so no loop can run away with the run.</summary>
internal static class Phase
{
    public static async Task<T> RunAsync<T>(string name, TimeSpan limit, Progress progress, Func<CancellationToken, Task<T>> body, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentNullException.ThrowIfNull(body);
        using var phase = CancellationTokenSource.CreateLinkedTokenSource(stop);
        phase.CancelAfter(limit);
        progress.Line($"{name} ...");
        try
        {
            return await body(phase.Token);
        }
        catch (OperationCanceledException ex) when (!stop.IsCancellationRequested)
        {
            throw new BenchmarkFailedException($"{name} took longer than its limit of {limit.TotalSeconds:0} s.", ex);
        }
    }
}
