using Microsoft.Extensions.DependencyInjection;
using StartFrame.Core.Admission;
using StartFrame.Core.WaysIn;
using StartFrame.IntegrationTests.Infrastructure;

namespace StartFrame.IntegrationTests.Admission;

/// <summary>First come, first served by upload time: a waiting upload is not overtaken by a later one that wakes first.</summary>
[Collection(StorageCollection.Name)]
public sealed class FairOrderTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task The_earliest_upload_gets_the_next_slot_though_its_event_came_last()
    {
        await using var harness = await AdmissionHarness.StartAsync(azurite.Server, configuredLimit: 1, simulatorLimit: 1);
        var early = await UploadAsync(harness, "early");
        // Blob times are whole seconds: the later uploads must be a second younger to stand behind it.
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        var late = new List<Azure.Storage.Blobs.BlobClient>();
        for (var i = 0; i < 8; i++)
        {
            late.Add(await UploadAsync(harness, $"late-{i}"));
        }

        // The later uploads' events come first (one takes the only slot), the early one's last.
        var uploads = harness.First.Services.GetRequiredService<IBlobUploads>();
        foreach (var image in late)
        {
            await uploads.ProcessBlobAsync(image, null, CancellationToken.None);
        }

        var earlyOutcome = await harness.Second.GetRequiredService<IBlobUploads>().ProcessBlobAsync(early, null, CancellationToken.None);
        Assert.Equal(OutcomeStatus.WaitingForSlot, earlyOutcome.Status);
        Assert.Contains("waiting for a provider slot (0 ahead)", earlyOutcome.Detail, StringComparison.Ordinal);
        Assert.Equal(8, await harness.First.Services.GetRequiredService<WaitingLine>().LengthAsync(CancellationToken.None));
        Assert.Equal(0, StartFrame.Core.OperatorViews.LedgerView.Of((await harness.First.LedgerEntryOfAsync(early))!).SlotAhead);

        await harness.Queues.RunUntilIdleAsync();

        var order = harness.Simulator.Requests.Where(r => r.Method == "POST" && r.Status == 200)
            .Select(r => new Uri(r.Body!["images"]![0]!.GetValue<string>()).AbsolutePath).ToList();
        Assert.Equal(9, order.Count);
        Assert.EndsWith("/batch/early.png", order[1], StringComparison.Ordinal);
        Assert.Equal(0, await harness.First.Services.GetRequiredService<WaitingLine>().LengthAsync(CancellationToken.None));
    }

    private static async Task<Azure.Storage.Blobs.BlobClient> UploadAsync(AdmissionHarness harness, string stem)
    {
        await harness.First.UploadSidecarAsync($"batch/{stem}.json", Sidecars.Valid);
        return await harness.First.UploadImageAsync($"batch/{stem}.png", TestImages.Png(64, 36));
    }
    [Fact]
    public async Task An_upload_that_took_its_slot_and_has_not_left_the_line_yet_is_not_owed_a_second_one()
    {
        await using var harness = await AdmissionHarness.StartAsync(azurite.Server, configuredLimit: 2, simulatorLimit: 2);
        var line = harness.First.Services.GetRequiredService<WaitingLine>();
        var slots = harness.Second.GetRequiredService<ProviderSlots>();
        var now = harness.Clock.GetUtcNow();
        var first = WaitingLine.PlaceOf(now, "p", "first");
        var second = WaitingLine.PlaceOf(now.AddSeconds(1), "p", "second");
        await line.StandAsync(first, "batch/first.png", 0, null, CancellationToken.None);
        await line.StandAsync(second, "batch/second.png", 1, null, CancellationToken.None);

        // The first took a slot and is about to leave the line; the second looks in between.
        var (taken, _) = await slots.TryTakeAsync("claim-first", first, [], CancellationToken.None);
        Assert.NotNull(taken);
        var ahead = await line.AheadOfAsync(second, CancellationToken.None);
        Assert.Equal([first], ahead);
        var (slot, owed) = await slots.TryTakeAsync("claim-second", second, ahead, CancellationToken.None);

        // One slot held, one free, and nobody ahead still owed one: the second takes the free one.
        Assert.NotNull(slot);
        Assert.Equal(0, owed);
        Assert.Equal(2, await slots.CountHeldAsync(CancellationToken.None));
    }
}
