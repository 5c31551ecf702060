using StartFrame.Benchmarks;
using StartFrame.Benchmarks.Batch;
using StartFrame.IntegrationTests.Infrastructure;

namespace StartFrame.IntegrationTests.Benchmarks;

/// <summary>
/// The benchmark's P4 harness (linked from tests/StartFrame.Benchmarks), held to working on a small batch: two worker
/// instances, a fake clock and every queue of the trigger table pumped must bring each upload to its video, with the
/// simulator's limit of tasks at a time really met. What the figures are is the benchmark's business, not this test's.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class BatchHarnessTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task P4_brings_a_small_batch_on_two_instances_to_one_video_each()
    {
        var scenario = new BatchScenario(Uploads: 6, Concurrency: 2, Generation: TimeSpan.FromSeconds(20));
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        // Off xUnit's synchronization context: the driver watches the thread pool to tell when nothing runs.
        var result = await Task.Run(() => BatchAtProviderPace.MeasureAsync(azurite.Server, scenario, new Progress(), limit.Token));

        Assert.Equal(2, result.Instances);
        Assert.Equal(6, result.Videos);
        Assert.Equal(6, result.Accepted);
        Assert.Equal(0, result.Lost);
        Assert.Equal(0, result.DoubleCharges);
        Assert.Equal(0, result.PoisonCount);
        Assert.Equal(0, result.FailureRecords);
        Assert.True(result.Rate429s > 0, "With 6 uploads and 2 slots, some POSTs must meet the simulator's limit.");
        Assert.InRange(result.TimeToLastVideo, scenario.Ideal, TimeSpan.FromHours(1));
        Assert.True(result.StorageCallsPerVideo > 0);
    }
}
