namespace StartFrame.Benchmarks;

/// <summary>How much of everything a run does, and how long it may take; every loop is bounded by both.</summary>
internal sealed record BenchmarkPlan
{
    /// <summary>The small image of P2: 10 KB.</summary>
    public const int SmallImageBytes = 10_000;

    /// <summary>The large image of P2: 50 MB, the catalog's own size limit (a byte more and it is rejected).</summary>
    public const int LargeImageBytes = 50_000_000;

    /// <summary>The image of P1, P3 and the scaling runs: 5 MB.</summary>
    public const int LoadImageBytes = 5_000_000;

    /// <summary>Concurrency of the P3 comparison with the naive function.</summary>
    public const int ComparisonConcurrency = 16;

    public required string Name { get; init; }

    public required int WarmUpUploads { get; init; }

    public required int WarmUpBurst { get; init; }

    public required int TransactionUploads { get; init; }

    public required int NaiveTransactionUploads { get; init; }

    public required int AllocationRepetitions { get; init; }

    public required int AllocationUploads { get; init; }

    public required int NaiveAllocationRepetitions { get; init; }

    public required int NaiveAllocationUploads { get; init; }

    public required int LatencyWarmUp { get; init; }

    public required int LatencyIterations { get; init; }

    public required int ThroughputRepetitions { get; init; }

    /// <summary>A run at concurrency c processes c × this many uploads (at least <see cref="MinUploadsPerRun"/>).</summary>
    public required int UploadsPerWorker { get; init; }

    public required int MinUploadsPerRun { get; init; }

    public IReadOnlyList<int> Concurrency { get; init; } = [1, 4, 16, 64];

    /// <summary>Videos followed to their end per generation time (on a fake clock they cost the same; more only confirms it).</summary>
    public int TrackingVideos { get; init; } = 3;

    /// <summary>O1: off/on pairs of blocks measuring what tracing costs an upload. Many small pairs rather than a few
    /// large ones: one pair's ratio moves by ±10% with the machine (0.83–1.34 in one run), and only the median of many
    /// reads a 5% target: 64 give it a 95% interval of about ±0.025 (and two A/A runs, both arms off, 1.00 and 1.02).</summary>
    public int TracingRepetitions { get; init; } = 64;

    /// <summary>O1's own time limit: its pairs take about 2 s each, mostly making and deleting their uploads.</summary>
    public TimeSpan TracingLimit { get; init; } = TimeSpan.FromMinutes(4);

    /// <summary>O1: off/on pairs of blocks run first and not measured. The JIT moves the pipeline's code to its optimized
    /// tier over the first several hundred uploads; a measured block before that measures the JIT, at 3× the CPU of the
    /// steady state, in whichever arm it falls.</summary>
    public int TracingWarmUpRepetitions { get; init; } = 9;

    /// <summary>O1: uploads in one block (one at a time).</summary>
    public int TracingUploads { get; init; } = 50;

    /// <summary>P4's batch: N uploads at once, against C tasks at a time at ModelStream, G each (ceil(N/C)×G is ideal).</summary>
    public Batch.BatchScenario Batch { get; init; } = new(80, 4, TimeSpan.FromSeconds(20)) { Admission = true };

    /// <summary>Only P4 (<c>--only P4</c>): the batch alone, without the upload and tracking phases.</summary>
    public bool OnlyBatch { get; init; }

    /// <summary>Only O1 (<c>--only O1</c>): what tracing costs an upload, alone.</summary>
    public bool OnlyTracing { get; init; }

    /// <summary>The most one measurement loop may take before the run stops as failed.</summary>
    public required TimeSpan PhaseLimit { get; init; }

    /// <summary>The most the whole run may take, start-up included.</summary>
    public required TimeSpan OverallLimit { get; init; }

    public static BenchmarkPlan Full { get; } = new()
    {
        Name = "full",
        WarmUpUploads = 30,
        WarmUpBurst = 320,
        TransactionUploads = 20,
        NaiveTransactionUploads = 5,
        AllocationRepetitions = 5,
        AllocationUploads = 20,
        NaiveAllocationRepetitions = 3,
        NaiveAllocationUploads = 3,
        LatencyWarmUp = 10,
        LatencyIterations = 200,
        ThroughputRepetitions = 5,
        UploadsPerWorker = 8,
        MinUploadsPerRun = 40,
        PhaseLimit = TimeSpan.FromMinutes(2),
        OverallLimit = TimeSpan.FromMinutes(15),
    };

    public static BenchmarkPlan Quick { get; } = new()
    {
        Name = "quick (smoke run: too few repetitions to quote)",
        WarmUpUploads = 5,
        WarmUpBurst = 16,
        TransactionUploads = 3,
        NaiveTransactionUploads = 2,
        AllocationRepetitions = 2,
        AllocationUploads = 5,
        NaiveAllocationRepetitions = 1,
        NaiveAllocationUploads = 2,
        LatencyWarmUp = 3,
        LatencyIterations = 20,
        ThroughputRepetitions = 1,
        UploadsPerWorker = 2,
        MinUploadsPerRun = 10,
        PhaseLimit = TimeSpan.FromMinutes(1),
        OverallLimit = TimeSpan.FromMinutes(5),
        TrackingVideos = 1,
        TracingRepetitions = 2,
        TracingWarmUpRepetitions = 1,
        TracingUploads = 20,
        TracingLimit = TimeSpan.FromMinutes(1),
        Batch = new(16, 4, TimeSpan.FromSeconds(20)) { Admission = true },
    };

    public bool IsQuick => Name == Quick.Name;

    /// <summary>Uploads in one run at <paramref name="concurrency"/>.</summary>
    public int UploadsPerRun(int concurrency) => Math.Max(MinUploadsPerRun, concurrency * UploadsPerWorker);

    /// <summary>The plan the command line asks for: <c>--quick</c>, <c>--only P4|O1</c>, both or nothing.</summary>
    public static BenchmarkPlan FromArguments(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        const string usage = "Usage: dotnet run -c Release --project tests/StartFrame.Benchmarks [-- [--quick] [--only P4|O1]]";
        var quick = false;
        var onlyBatch = false;
        var onlyTracing = false;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--only" when i + 1 < args.Count && string.Equals(args[i + 1], "P4", StringComparison.OrdinalIgnoreCase):
                    onlyBatch = true;
                    i++;
                    break;
                case "--only" when i + 1 < args.Count && string.Equals(args[i + 1], "O1", StringComparison.OrdinalIgnoreCase):
                    onlyTracing = true;
                    i++;
                    break;
                case "--only":
                    throw new ArgumentException($"--only takes a phase that runs alone: P4 or O1. {usage}");
                default:
                    throw new ArgumentException($"Unknown argument: {args[i]}. {usage}");
            }
        }

        var plan = quick ? Quick : Full;
        return plan with { OnlyBatch = onlyBatch, OnlyTracing = onlyTracing && !onlyBatch };
    }
}
