namespace StartFrame.Benchmarks;

/// <summary>One operation of the P1 breakdown.</summary>
internal sealed record OperationCount(string Operation, string Shape, double PerUpload);

/// <summary>P1: storage transactions per accepted upload.</summary>
internal sealed record TransactionResult(
    int Uploads,
    double PerUpload,
    int FewestPerUpload,
    int MostPerUpload,
    IReadOnlyList<OperationCount> Breakdown,
    double NaivePerUpload);

/// <summary>P2: bytes allocated per upload (each a median over repetitions).</summary>
internal sealed record AllocationResult(
    double Small,
    double Large,
    double NaiveSmall,
    double NaiveLarge,
    double RawRoundTrips,
    int Repetitions,
    int UploadsPerRepetition)
{
    public double Difference => Large - Small;

    public double NaiveDifference => NaiveLarge - NaiveSmall;
}

/// <summary>One round trip of the raw sequence.</summary>
internal sealed record StepTiming(string Step, double MedianMs, double MeanMs);

/// <summary>P3: an upload's wall time against its raw round trips, interleaved in the same run.</summary>
internal sealed record LatencyResult(
    int Iterations,
    double MeanMs,
    double MedianMs,
    double RawMeanMs,
    double RawMedianMs,
    IReadOnlyList<StepTiming> Steps)
{
    public double Ratio => MeanMs / RawMeanMs;
}

/// <summary>One timed burst of concurrent uploads.</summary>
internal sealed record LoadRun(
    int Concurrency,
    int Uploads,
    TimeSpan Elapsed,
    double MeanLatencyMs,
    long StorageRequests,
    TimeSpan ProcessCpu,
    TimeSpan AzuriteCpu,
    TimeSpan OtherCpu)
{
    public double UploadsPerSecond => Uploads / Elapsed.TotalSeconds;

    public double StorageRequestsPerUpload => (double)StorageRequests / Uploads;

    public double ProcessCpuMsPerUpload => ProcessCpu.TotalMilliseconds / Uploads;

    public double AzuriteCpuMsPerUpload => AzuriteCpu.TotalMilliseconds / Uploads;

    /// <summary>Azurite's CPU over the run, in % of one core (node runs JavaScript on one thread).</summary>
    public double AzuriteCpuPercent => 100 * AzuriteCpu / Elapsed;

    /// <summary>This process's CPU (the core and the in-process simulator), in % of one core.</summary>
    public double ProcessCpuPercent => 100 * ProcessCpu / Elapsed;

    /// <summary>What every other process on the machine used meanwhile, in % of the whole machine.</summary>
    public double OtherCpuPercentOfMachine => 100 * OtherCpu / (Elapsed * Environment.ProcessorCount);
}

/// <summary>The runs at one concurrency, summarised by the run with the median rate (its other columns stay consistent with it).</summary>
internal sealed record LoadRuns(IReadOnlyList<LoadRun> Runs)
{
    public LoadRun Median => Runs.OrderBy(run => run.UploadsPerSecond).ElementAt((Runs.Count - 1) / 2);

    public double Slowest => Runs.Min(run => run.UploadsPerSecond);

    public double Fastest => Runs.Max(run => run.UploadsPerSecond);
}

/// <summary>P3 throughput and scaling, every repetition kept.</summary>
/// <param name="Core">The pipeline's runs, by concurrency, in the plan's order.</param>
/// <param name="Naive">The naive function's runs at the comparison concurrency, each right after the pipeline's in the same repetition.</param>
internal sealed record ThroughputResult(IReadOnlyList<LoadRuns> Core, LoadRuns Naive)
{
    public int Repetitions => Naive.Runs.Count;

    public LoadRuns CoreAt(int concurrency) => Core.Single(runs => runs.Runs[0].Concurrency == concurrency);

    /// <summary>The pipeline's rate over the naive one's, repetition by repetition (runs made back to back see the same
    /// machine), then the median: steadier than a ratio of medians when other processes come and go.</summary>
    public double Ratio => Stats.Median(CoreAt(BenchmarkPlan.ComparisonConcurrency).Runs
        .Zip(Naive.Runs, (core, naive) => core.UploadsPerSecond / naive.UploadsPerSecond));
}

/// <summary>What else the machine was doing during the run.</summary>
/// <param name="LoadAverageAtStart">The 1-minute load average before the run, if known.</param>
/// <param name="OtherCpuPercentOfMachine">CPU other processes (not this one, not Azurite) used during the run, in % of the machine.</param>
internal sealed record MachineLoad(double? LoadAverageAtStart, double OtherCpuPercentOfMachine);

/// <summary>Everything one run measured.</summary>
internal sealed record BenchmarkResults(
    TransactionResult Transactions,
    AllocationResult Allocations,
    LatencyResult Latency,
    ThroughputResult Throughput,
    TracingCostResult Tracing,
    IReadOnlyList<TrackingCostResult> Tracking,
    IReadOnlyList<CopyMemoryResult> Copies,
    Batch.BatchResult Batch,
    MachineLoad Load,
    TimeSpan Duration);
