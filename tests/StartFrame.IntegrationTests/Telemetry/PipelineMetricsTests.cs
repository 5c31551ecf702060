using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using ModelStream.Simulator;
using StartFrame.Core.Telemetry;
using StartFrame.IntegrationTests.Infrastructure;
using StartFrame.IntegrationTests.Tracking;

namespace StartFrame.IntegrationTests.Telemetry;

/// <summary>The StartFrame meter counts what an operator watches as an upload goes to its video.</summary>
[Collection(StorageCollection.Name)]
public sealed class PipelineMetricsTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task An_upload_to_its_video_is_counted_posted_polled_copied_and_timed()
    {
        // A listener sees the whole process: the counts are lower bounds, never exact, when other tests run beside this one.
        var measured = new ConcurrentQueue<(string Instrument, double Value, string? Outcome)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == StartFrameTelemetry.Name)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => measured.Enqueue((instrument.Name, value, OutcomeOf(tags))));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => measured.Enqueue((instrument.Name, value, OutcomeOf(tags))));
        listener.Start();
        var clock = TrackingHarness.Clock();
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock);

        await harness.SubmitPairAsync("metered/cat");
        var polls = (await harness.Tracking.RunUntilIdleAsync()).Count;

        Assert.Contains(measured, m => m is ("startframe.uploads", 1, "Submitted"));
        Assert.Contains(measured, m => m.Instrument == "startframe.modelstream.posts");
        Assert.True(measured.Count(m => m.Instrument == "startframe.polls") >= polls);
        Assert.Contains(measured, m => m.Instrument == "startframe.copy.bytes" && m.Value == ModelStreamSimulator.SampleVideoBytes.Length);
        Assert.Contains(measured, m => m.Instrument == "startframe.upload_to_video" && m.Value >= TrackingHarness.Generation.TotalSeconds);
    }

    private static string? OutcomeOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == TagNames.Outcome)
            {
                return tag.Value as string;
            }
        }

        return null;
    }
}
