using System.Diagnostics;

namespace StartFrame.Benchmarks;

/// <summary>
/// Times a burst of uploads at a fixed concurrency (<see cref="Parallel.ForEachAsync{TSource}(IEnumerable{TSource}, ParallelOptions, Func{TSource, CancellationToken, ValueTask})"/>
/// keeps that many in flight), with the storage requests and the CPU both processes (and everything else on the machine) spent, which say what limits it.
/// </summary>
internal static class LoadRunner
{
    public static async Task<LoadRun> RunAsync(
        BenchmarkEnvironment environment,
        IReadOnlyList<string> names,
        int concurrency,
        Func<string, CancellationToken, Task> upload,
        CancellationToken cancellationToken)
    {
        using var self = Process.GetCurrentProcess();
        using var azurite = Process.GetProcessById(environment.Azurite.ProcessId);
        var latencies = new double[names.Count];
        var requestsBefore = environment.Counter.Count;
        var selfBefore = self.TotalProcessorTime;
        var azuriteBefore = azurite.TotalProcessorTime;
        var machineBefore = MachineCpu.Sample();
        var started = Stopwatch.GetTimestamp();

        var options = new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, names.Count), options, async (index, token) =>
        {
            var uploadStarted = Stopwatch.GetTimestamp();
            await upload(names[index], token);
            latencies[index] = Stopwatch.GetElapsedTime(uploadStarted).TotalMilliseconds;
        });

        var elapsed = Stopwatch.GetElapsedTime(started);
        var machine = MachineCpu.BusyBetween(machineBefore, MachineCpu.Sample(), elapsed);
        self.Refresh();
        azurite.Refresh();
        var selfCpu = self.TotalProcessorTime - selfBefore;
        var azuriteCpu = azurite.TotalProcessorTime - azuriteBefore;
        return new LoadRun(
            concurrency,
            names.Count,
            elapsed,
            latencies.Average(),
            environment.Counter.Count - requestsBefore,
            selfCpu,
            azuriteCpu,
            machine > selfCpu + azuriteCpu ? machine - selfCpu - azuriteCpu : TimeSpan.Zero);
    }
}
