using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ModelStream.Simulator;
using StartFrame.Core.Tracking;
using StartFrame.IntegrationTests.Infrastructure;
using StartFrame.LocalDev;

namespace StartFrame.Benchmarks;

/// <summary>
/// Storage and API calls per finished video as the generation time grows: each video is uploaded (setup, uncounted),
/// submitted and then followed to its completion record on a fake clock; every request to Azurite and to the simulator
/// is real and counted.
/// </summary>
internal static class TrackingCost
{
    /// <summary>The generation times measured, with whether the task is off-peak (only those may take 48 h).</summary>
    public static IReadOnlyList<TrackingScenario> Scenarios { get; } =
    [
        new("10 s", TimeSpan.FromSeconds(10), OffPeak: false),
        new("2 min", TimeSpan.FromMinutes(2), OffPeak: false),
        new("48 h, off-peak", TimeSpan.FromHours(48), OffPeak: true),
        new("48 h, standard", TimeSpan.FromHours(48), OffPeak: false),
    ];

    private const string OffPeakSidecar = """{"prompt":"a slow night","audio":true,"off_peak":true}""";

    public static async Task<IReadOnlyList<TrackingCostResult>> MeasureAsync(AzuriteServer azurite, int videos, Progress progress, CancellationToken cancellationToken)
    {
        var results = new List<TrackingCostResult>();
        foreach (var scenario in Scenarios)
        {
            await using var core = await TrackingCore.StartAsync(azurite, new SimulatorOptions { GenerationTime = scenario.Generation }, cancellationToken);
            var runs = new List<VideoCost>();
            for (var i = 0; i < videos; i++)
            {
                var name = $"tracking/{scenario.Generation.TotalSeconds:0}s-{(scenario.OffPeak ? "offpeak" : "std")}/{Guid.NewGuid():N}.png";
                await UploadPairAsync(core.SetupUploads, name, scenario.OffPeak ? OffPeakSidecar : Sidecars.Valid, cancellationToken);
                runs.Add(await FollowAsync(core, name, progress, cancellationToken));
            }

            var result = new TrackingCostResult(scenario, runs, scenario == Scenarios[0] ? await FinishingBreakdownAsync(azurite, core, cancellationToken) : []);
            progress.Line($"tracking {scenario.Label}: {result.Median.Polls} polls, {result.Median.TrackingStorageCalls} storage calls after submission (+{result.Median.SubmissionStorageCalls} to submit), over {videos} videos");
            results.Add(result);
        }

        return results;
    }

    /// <summary>One more 10-second video with every storage request after its submission kept: what finishing costs.</summary>
    private static async Task<IReadOnlyList<OperationCount>> FinishingBreakdownAsync(AzuriteServer azurite, TrackingCore core, CancellationToken cancellationToken)
    {
        var name = $"tracking/breakdown/{Guid.NewGuid():N}.png";
        await UploadPairAsync(core.SetupUploads, name, Sidecars.Valid, cancellationToken);
        var taskId = (await core.SubmitAsync(name, cancellationToken)).TaskId!;
        core.Counter.TakeRequests();
        core.Counter.Detailed = true;
        try
        {
            await DeliverUntilEndedAsync(core, taskId);
        }
        finally
        {
            core.Counter.Detailed = false;
        }

        return core.Counter.TakeRequests()
            .Select(request => request.Describe(azurite))
            .GroupBy(described => described)
            .Select(group => new OperationCount(group.Key.Operation, group.Key.Shape, group.Count()))
            .ToList();
    }

    private static async Task<VideoCost> FollowAsync(TrackingCore core, string imageName, Progress progress, CancellationToken cancellationToken)
    {
        var counter = core.Counter;
        var polls = core.Simulator.PollCount;
        var before = counter.Count;
        var taskId = (await core.SubmitAsync(imageName, cancellationToken)).TaskId!;
        var submitted = counter.Count;
        var outcomes = await DeliverUntilEndedAsync(core, taskId);
        var finished = counter.Count;
        if (outcomes.Count == 0 || outcomes[^1].TaskId != taskId || outcomes[^1].Status != TrackingOutcomeStatus.Succeeded)
        {
            throw new BenchmarkFailedException($"{imageName} did not end with its video: {(outcomes.Count > 0 ? outcomes[^1].Status : "no delivery")}");
        }

        if (outcomes.Any(o => o.TaskId != taskId))
        {
            progress.Line($"  {outcomes.Count(o => o.TaskId != taskId)} deliveries of other tasks' duplicate polls were made (and counted) while following {taskId}");
        }

        return new VideoCost(
            SubmissionStorageCalls: (int)(submitted - before),
            TrackingStorageCalls: (int)(finished - submitted),
            Polls: core.Simulator.PollCount - polls,
            Deliveries: outcomes.Count);
    }

    /// <summary>Delivers until the task has ended — not until the queue is seen empty, a receive the host makes only
    /// as idle polling, which belongs to no video. A delivery for another task (a duplicate chain of polls an earlier
    /// video left, which at-least-once queues can make) is made and counted too: it is a real cost.</summary>
    private static async Task<IReadOnlyList<TrackingOutcome>> DeliverUntilEndedAsync(TrackingCore core, string taskId)
    {
        var outcomes = new List<TrackingOutcome>();
        while (outcomes.Count < 5000 && await core.Tracking.DeliverNextAsync() is { } outcome)
        {
            outcomes.Add(outcome);
            if (outcome.TaskId == taskId && outcome.Status != TrackingOutcomeStatus.Rescheduled)
            {
                break;
            }
        }

        return outcomes;
    }

    private static async Task UploadPairAsync(BlobContainerClient uploads, string imageName, string sidecar, CancellationToken cancellationToken)
    {
        await uploads.GetBlobClient(StartFrame.Core.Uploads.UploadNames.SidecarOf(imageName)).UploadAsync(BinaryData.FromString(sidecar), cancellationToken);
        await uploads.GetBlobClient(imageName).UploadAsync(
            BinaryData.FromBytes(TestImages.Png(640, 360)),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "image/png" } },
            cancellationToken);
    }
}

/// <summary>One generation time measured.</summary>
internal sealed record TrackingScenario(string Label, TimeSpan Generation, bool OffPeak);

/// <summary>What following one video to its end cost.</summary>
/// <param name="SubmissionStorageCalls">Storage calls of the submission (the task record and the first tracking message included).</param>
/// <param name="TrackingStorageCalls">Storage calls after it, to the completion record (receive and delete of each delivery included).</param>
/// <param name="Polls">ModelStream polls (<c>GET /v1/video/generations/{id}</c>).</param>
/// <param name="Deliveries">Tracking deliveries.</param>
internal sealed record VideoCost(int SubmissionStorageCalls, int TrackingStorageCalls, int Polls, int Deliveries)
{
    public int StorageCalls => SubmissionStorageCalls + TrackingStorageCalls;
}

/// <summary>One scenario's videos (they cost the same on a fake clock; the median is the figure).</summary>
internal sealed record TrackingCostResult(TrackingScenario Scenario, IReadOnlyList<VideoCost> Videos, IReadOnlyList<OperationCount> Breakdown)
{
    public VideoCost Median => Videos.OrderBy(v => v.StorageCalls).ElementAt((Videos.Count - 1) / 2);
}
