using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using StartFrame.Core.Admission;
using StartFrame.Core.Telemetry;
using StartFrame.IntegrationTests.Infrastructure;

namespace StartFrame.IntegrationTests.Admission;

/// <summary>The slots in use, and the limit, are reported as the slot rows are read: an operator sees how full the account is.</summary>
[Collection(StorageCollection.Name)]
public sealed class SlotMetricsTests(AzuriteFixture azurite)
{
    // A limit no other test configures, so this test's measurements are told apart from those of tests running beside it.
    private const int Limit = 7;

    [Fact]
    public async Task Taking_slots_and_finding_none_free_report_the_slots_held_against_the_limit()
    {
        var measured = new ConcurrentQueue<(string Instrument, int Value)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == StartFrameTelemetry.Name && instrument.Name.StartsWith("startframe.provider.", StringComparison.Ordinal))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => measured.Enqueue((instrument.Name, value)));
        listener.Start();
        await using var harness = await AdmissionHarness.StartAsync(azurite.Server, configuredLimit: Limit, simulatorLimit: Limit);
        var slots = harness.First.Services.GetRequiredService<ProviderSlots>();

        for (var i = 0; i < Limit; i++)
        {
            Assert.NotNull(await slots.TryTakeAsync($"run-{i}", CancellationToken.None));
        }

        Assert.Null(await slots.TryTakeAsync("run-too-many", CancellationToken.None));

        // Runs beside this test may report too: this test's readings are found in order among them.
        Assert.True(measured.Count(m => m == ("startframe.provider.slot_limit", Limit)) >= Limit + 1);
        var inUse = measured.Where(m => m.Instrument == "startframe.provider.slots_in_use").Select(m => m.Value);
        int[] expected = [1, 2, 3, 4, 5, 6, 7, 7];
        var found = 0;
        foreach (var value in inUse)
        {
            if (found < expected.Length && value == expected[found])
            {
                found++;
            }
        }

        Assert.Equal(expected.Length, found);
    }
}
