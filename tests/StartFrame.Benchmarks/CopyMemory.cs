using System.Diagnostics;
using ModelStream.Simulator;
using StartFrame.Core;
using StartFrame.Core.Tracking;
using StartFrame.IntegrationTests.Infrastructure;
using StartFrame.LocalDev;

namespace StartFrame.Benchmarks;

/// <summary>
/// Memory while the tracker copies a finished video into storage, for a small and a 200 MB video: the process's
/// working set and managed heap are sampled every 10 ms during the copy, against their level just before it. The
/// simulator streams the video from this process too (its share is in the figures).
/// </summary>
internal static class CopyMemory
{
    public static IReadOnlyList<long> Sizes { get; } = [2_000_000, 200_000_000];

    public static async Task<IReadOnlyList<CopyMemoryResult>> MeasureAsync(AzuriteServer azurite, Progress progress, CancellationToken cancellationToken)
    {
        var results = new List<CopyMemoryResult>();
        foreach (var size in Sizes)
        {
            var generation = TimeSpan.FromSeconds(10);
            await using var core = await TrackingCore.StartAsync(azurite, new SimulatorOptions { GenerationTime = generation, VideoLength = size }, cancellationToken);
            var name = $"copy/{size}/{Guid.NewGuid():N}.png";
            await core.SetupUploads.GetBlobClient(StartFrame.Core.Uploads.UploadNames.SidecarOf(name)).UploadAsync(BinaryData.FromString(Sidecars.Valid), cancellationToken);
            await core.SetupUploads.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(TestImages.Png(640, 360)), cancellationToken);
            var taskId = (await core.SubmitAsync(name, cancellationToken)).TaskId!;
            core.Clock.Advance(generation);

            var result = await CopyOnceAsync(core, size, cancellationToken);
            results.Add(result);
            progress.Line($"copy of {size:N0} bytes: working set +{result.PeakWorkingSetGrowth / 1048576.0:0.0} MiB, heap +{result.PeakHeapGrowth / 1048576.0:0.0} MiB, {result.AllocatedBytes / 1048576.0:0.0} MiB allocated, {result.MegabytesPerSecond:0} MB/s");

            // Azurite keeps blobs in memory: drop the big one before the next phase.
            await core.SetupVideos.DeleteBlobIfExistsAsync(VideoNames.For(new StartFrame.Core.Records.RecordSource { Container = StartFrameOptions.UploadsContainer, Blob = name }, taskId), cancellationToken: cancellationToken);
        }

        return results;
    }

    private static async Task<CopyMemoryResult> CopyOnceAsync(TrackingCore core, long size, CancellationToken cancellationToken)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var workingSet = Environment.WorkingSet;
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        long peakWorkingSet = workingSet, peakHeap = heap;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
            while (await timer.WaitForNextTickAsync(sampling.Token).ConfigureAwait(false))
            {
                peakWorkingSet = Math.Max(peakWorkingSet, Environment.WorkingSet);
                peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(forceFullCollection: false));
            }
        }, CancellationToken.None);

        var clock = Stopwatch.StartNew();
        var outcome = await core.Tracking.DeliverNextAsync();
        var elapsed = clock.Elapsed;
        await sampling.CancelAsync();
        try
        {
            await sampler;
        }
        catch (OperationCanceledException)
        {
            // the sampler stops here
        }

        if (outcome?.Video?.Length != size)
        {
            throw new BenchmarkFailedException($"The copy of {size:N0} bytes did not store the video whole: {outcome?.Status} {outcome?.Video?.Length}");
        }

        return new CopyMemoryResult(size, peakWorkingSet - workingSet, peakHeap - heap, GC.GetTotalAllocatedBytes(precise: true) - allocated, elapsed);
    }
}

/// <summary>Memory of one copy.</summary>
internal sealed record CopyMemoryResult(long VideoBytes, long PeakWorkingSetGrowth, long PeakHeapGrowth, long AllocatedBytes, TimeSpan Elapsed)
{
    public double MegabytesPerSecond => VideoBytes / 1e6 / Math.Max(Elapsed.TotalSeconds, 1e-6);
}
