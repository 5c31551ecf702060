using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ModelStream.Simulator;
using StartFrame.Core.WaysIn;
using StartFrame.IntegrationTests.Infrastructure;
using StartFrame.LocalDev;

namespace StartFrame.IntegrationTests.Admission;

/// <summary>
/// Two core instances (two service providers, nothing in memory shared) against one Azurite and one simulator whose
/// account allows <c>simulatorLimit</c> unfinished tasks of <see cref="Generation"/> each, on one fake clock. The uploads
/// of a folder are spread over both instances at once, then <see cref="Queues"/> drives re-checks and tracking.
/// </summary>
internal sealed class AdmissionHarness : IAsyncDisposable
{
    public static readonly TimeSpan Generation = TimeSpan.FromSeconds(20);

    private AdmissionHarness(PipelineHarness first, ServiceProvider second, FakeTimeProvider clock)
    {
        First = first;
        Second = second;
        Clock = clock;
        Queues = new FakeClockQueues(first.Azurite.ConnectionString, clock, [first.Services, second]);
    }

    public PipelineHarness First { get; }

    public ServiceProvider Second { get; }

    public FakeTimeProvider Clock { get; }

    public FakeClockQueues Queues { get; }

    public ModelStreamSimulator Simulator => First.Simulator;

    public static async Task<AdmissionHarness> StartAsync(AzuriteServer azurite, int? configuredLimit, int simulatorLimit, IReadOnlyDictionary<string, string?>? settings = null, bool realRecheckDelays = false)
    {
        // Started minutes in the past: the image's SAS starts 5 minutes before the fake now and Azurite checks it against
        // the real one, so the fake clock may run up to 9 minutes ahead of real time (a folder takes 5–6).
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow - TimeSpan.FromMinutes(4));
        // Looks every 15 s (the default is a minute): this driver delivers a re-check by the due time its body names, so
        // a wake (the message made visible early) does not hurry it here, and a batch must fit the fake clock's window.
        var all = new Dictionary<string, string?> { ["StartFrame:SlotRecheckDelay"] = "00:00:15" };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        if (configuredLimit is { } limit)
        {
            all["ModelStream:MaxConcurrentTasks"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var first = await PipelineHarness.StartAsync(azurite, all, new SimulatorOptions { GenerationTime = Generation, MaxConcurrentTasks = simulatorLimit }, clock, realRecheckDelays);
        return new AdmissionHarness(first, first.StartAnotherInstance(clock), clock);
    }

    /// <summary>Uploads <paramref name="count"/> valid pairs (<c>folder/frame-NN</c>), then delivers every image's event at
    /// once, alternately to the two instances; returns the outcomes.</summary>
    public async Task<IReadOnlyList<ProcessingOutcome>> DropFolderAsync(int count, string folder = "batch")
    {
        var images = new List<Azure.Storage.Blobs.BlobClient>();
        for (var i = 0; i < count; i++)
        {
            var stem = $"{folder}/frame-{i:D2}";
            await First.UploadSidecarAsync(stem + ".json", Sidecars.Valid);
            images.Add(await First.UploadImageAsync(stem + ".png", TestImages.Png(64, 36)));
        }

        var instances = new IServiceProvider[] { First.Services, Second };
        return await Task.WhenAll(images.Select((image, i) =>
            instances[i % 2].GetRequiredService<IBlobUploads>().ProcessBlobAsync(image, null, CancellationToken.None)));
    }

    /// <summary>How many tasks the simulator issued for each image (a 200 answer to a POST naming it).</summary>
    public IReadOnlyDictionary<string, int> TasksPerImage() => Simulator.Requests
        .Where(r => r.Method == "POST" && r.Status == 200)
        .GroupBy(r => new Uri(r.Body!["images"]![0]!.GetValue<string>()).AbsolutePath)
        .ToDictionary(g => g.Key, g => g.Count());

    public int Posts => Simulator.Requests.Count(r => r.Method == "POST");

    public int Throttled => Simulator.Requests.Count(r => r.Method == "POST" && r.Status == 429);

    public async ValueTask DisposeAsync()
    {
        await Second.DisposeAsync();
        await First.DisposeAsync();
    }
}
