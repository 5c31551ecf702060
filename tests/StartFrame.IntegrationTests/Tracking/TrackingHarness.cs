using Microsoft.Extensions.Time.Testing;
using ModelStream.Simulator;
using StartFrame.IntegrationTests.Infrastructure;
using StartFrame.LocalDev;

namespace StartFrame.IntegrationTests.Tracking;

/// <summary>A pipeline harness on a fake clock shared by the core and a simulator whose generations take
/// <see cref="Generation"/>, so a task runs its whole life in milliseconds of real time.</summary>
internal static class TrackingHarness
{
    public static readonly TimeSpan Generation = TimeSpan.FromMinutes(2);

    public static Task<PipelineHarness> StartAsync(
        AzuriteServer azurite, FakeTimeProvider clock, SimulatorOptions? simulator = null, IReadOnlyDictionary<string, string?>? settings = null) =>
        PipelineHarness.StartAsync(azurite, settings, simulator ?? new SimulatorOptions { GenerationTime = Generation }, clock);

    public static FakeTimeProvider Clock() => new(DateTimeOffset.UtcNow);
}
