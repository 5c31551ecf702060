using Microsoft.Extensions.DependencyInjection;
using ModelStream.Simulator;
using StartFrame.Core.WaysIn;
using StartFrame.IntegrationTests.Infrastructure;

namespace StartFrame.IntegrationTests.Tracking;

/// <summary><c>GET /api/videos/{taskId}</c>: generation state and progress while it runs, then the stored video or why there is none.</summary>
[Collection(StorageCollection.Name)]
public sealed class VideoStatusApiTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Get_shows_the_generation_progress_while_it_runs_then_the_stored_video()
    {
        var clock = TrackingHarness.Clock();
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock);
        var api = harness.Services.GetRequiredService<IVideoApi>();
        var taskId = await harness.SubmitPairAsync("api/cat");

        clock.Advance(TrackingHarness.Generation / 2);
        var running = await HttpCall.RunAsync(api.GetAsync(taskId, CancellationToken.None));
        await harness.Tracking.RunUntilIdleAsync();
        var done = await HttpCall.RunAsync(api.GetAsync(taskId, CancellationToken.None));

        Assert.Equal(200, running.Status);
        Assert.Equal("in_progress", running.Json["generation"]!["status"]!.GetValue<string>());
        Assert.InRange(running.Json["generation"]!["progress"]!.GetValue<int>(), 1, 99);
        Assert.Null(running.Json["video"]);
        Assert.Null(running.Json["completion"]);

        Assert.Equal(200, done.Status);
        Assert.Equal("succeeded", done.Json["completion"]!.GetValue<string>());
        Assert.Equal($"api/cat/{taskId}.mp4", done.Json["video"]!["blob"]!.GetValue<string>());
        Assert.Equal(ModelStreamSimulator.SampleVideoBytes.Length, done.Json["video"]!["length"]!.GetValue<long>());
        Assert.Null(done.Json["generation"]); // ended: ModelStream is not asked again
        Assert.DoesNotContain("sig=", running.Body + done.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_of_a_failed_task_says_why_there_is_no_video()
    {
        var clock = TrackingHarness.Clock();
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock);
        harness.Simulator.AddFaults(new SimulatedFault { FailGeneration = "Out of GPUs." });
        var api = harness.Services.GetRequiredService<IVideoApi>();
        var taskId = await harness.SubmitPairAsync("api/fail");
        await harness.Tracking.RunUntilIdleAsync();

        var response = await HttpCall.RunAsync(api.GetAsync(taskId, CancellationToken.None));

        Assert.Equal("failed", response.Json["completion"]!.GetValue<string>());
        Assert.Equal("generation_failed", response.Json["error"]!["code"]!.GetValue<string>());
        Assert.Equal("Out of GPUs.", response.Json["error"]!["message"]!.GetValue<string>());
    }
}
