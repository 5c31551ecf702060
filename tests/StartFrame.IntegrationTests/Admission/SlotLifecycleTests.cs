using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using StartFrame.Core;
using StartFrame.Core.Admission;
using StartFrame.Core.WaysIn;
using StartFrame.IntegrationTests.Infrastructure;

namespace StartFrame.IntegrationTests.Admission;

/// <summary>No slot leaks and none is held twice: races, tracking's give-back, a dead holder's lease, and the end of waiting.</summary>
[Collection(StorageCollection.Name)]
public sealed class SlotLifecycleTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Runs_on_two_instances_racing_for_four_slots_take_exactly_four()
    {
        await using var harness = await AdmissionHarness.StartAsync(azurite.Server, configuredLimit: 4, simulatorLimit: 4);
        var instances = new[] { harness.First.Services.GetRequiredService<ProviderSlots>(), harness.Second.GetRequiredService<ProviderSlots>() };

        var taken = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => instances[i % 2].TryTakeAsync($"run-{i}", CancellationToken.None)));

        var held = taken.Where(t => t is not null).ToList();
        Assert.Equal(4, held.Count);
        Assert.Equal(4, held.Select(t => t!.RowKey).Distinct().Count());
        Assert.Equal(4, await instances[0].CountHeldAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Tracking_gives_the_slot_back_when_it_sees_the_task_end()
    {
        await using var harness = await AdmissionHarness.StartAsync(azurite.Server, configuredLimit: 1, simulatorLimit: 1);
        var slots = harness.First.Services.GetRequiredService<ProviderSlots>();

        var outcome = Assert.Single(await harness.DropFolderAsync(1));
        Assert.Equal(OutcomeStatus.Submitted, outcome.Status);
        Assert.Equal(1, await slots.CountHeldAsync(CancellationToken.None));

        await harness.Queues.RunUntilIdleAsync();

        // Long before the slot's own lease (StartFrame__SlotTaskLease, 2 h) could have freed it.
        Assert.True(harness.Clock.GetUtcNow() - outcome.Record!.SubmittedAt < TimeSpan.FromMinutes(5));
        Assert.Equal(0, await slots.CountHeldAsync(CancellationToken.None));
        Assert.Equal("succeeded", Assert.Single(await PipelineHarness.PeekAllAsync(harness.First.Completions))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_slot_whose_holder_died_before_its_post_is_free_again_when_its_lease_ends()
    {
        // A short claim lease (which a slot taken before its POST has too): the fake clock may run only minutes ahead of
        // Azurite's, which checks the SAS of the image against its own.
        await using var harness = await AdmissionHarness.StartAsync(azurite.Server, configuredLimit: 1, simulatorLimit: 1,
            new Dictionary<string, string?> { ["StartFrame:ClaimLease"] = "00:02:00" });
        var start = harness.Clock.GetUtcNow();
        // A run on the other instance took the only slot and died before its POST: nobody will give it back.
        Assert.NotNull(await harness.Second.GetRequiredService<ProviderSlots>().TryTakeAsync("run-that-died", CancellationToken.None));

        Assert.Equal(OutcomeStatus.WaitingForSlot, Assert.Single(await harness.DropFolderAsync(1)).Status);
        await harness.Queues.RunUntilIdleAsync();

        var submitted = Assert.Single(await PipelineHarness.PeekAllAsync(harness.First.Tasks));
        var submittedAt = submitted["submittedAt"]!.GetValue<DateTimeOffset>();
        Assert.True(submittedAt - start >= TimeSpan.FromMinutes(2), $"submitted {submittedAt - start} after the dead run took the slot, inside its lease (StartFrame__ClaimLease)");
        Assert.True(submittedAt - start < TimeSpan.FromMinutes(3), $"submitted only {submittedAt - start} after the dead run took the slot");
        Assert.Equal(1, harness.Posts);
        Assert.Equal(0, harness.Throttled);
        Assert.Single(await PipelineHarness.PeekAllAsync(harness.First.Completions));
        Assert.Empty(await PipelineHarness.PeekAllAsync(harness.First.Failures));
    }

    [Fact]
    public async Task An_upload_that_never_gets_a_slot_fails_by_elapsed_time_not_by_a_count()
    {
        await using var harness = await AdmissionHarness.StartAsync(azurite.Server, configuredLimit: 1, simulatorLimit: 1,
            new Dictionary<string, string?> { ["StartFrame:SlotWaitLimit"] = "00:05:00", ["StartFrame:MaxSubmitAttempts"] = "1" });
        var start = harness.Clock.GetUtcNow();
        // The only slot counts for a task of another system that runs for hours.
        var slots = harness.Second.GetRequiredService<ProviderSlots>();
        await slots.BindAsync((await slots.TryTakeAsync("other-system", CancellationToken.None))!, "elsewhere", CancellationToken.None);

        await harness.DropFolderAsync(1);
        await harness.Queues.RunUntilIdleAsync();

        var failure = Assert.Single(await PipelineHarness.PeekAllAsync(harness.First.Failures));
        Assert.Equal("no_provider_slot", failure["errors"]![0]!["code"]!.GetValue<string>());
        Assert.True(failure["retryable"]!.GetValue<bool>());
        Assert.True(harness.Queues.Deliveries[StartFrameOptions.RechecksQueue] > 5, "it looked again more than MaxSubmitAttempts times before giving up");
        Assert.InRange(harness.Clock.GetUtcNow() - start, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(6));
        Assert.Equal(0, harness.Posts);
        Assert.Equal("failed", (await harness.First.LedgerEntryOfAsync(harness.First.Uploads.GetBlobClient("batch/frame-00.png")))!.State);
        Assert.Empty((await new QueueClient(azurite.Server.ConnectionString, StartFrameOptions.RechecksQueue).PeekMessagesAsync(1)).Value);
    }

    [Fact]
    public async Task A_storage_outage_at_the_slots_is_a_wait_not_a_claim_left_to_expire()
    {
        await using var harness = await AdmissionHarness.StartAsync(azurite.Server, configuredLimit: 1, simulatorLimit: 1);
        harness.First.StorageFaults.FailWhen(m => m.Request.Uri.Path.Contains(StartFrameOptions.ProviderSlotsTable, StringComparison.Ordinal));

        var outcome = await harness.First.Processor.ProcessBlobAsync(await UploadPairAsync(harness), null, CancellationToken.None);

        harness.First.StorageFaults.Heal();
        Assert.Equal(OutcomeStatus.WaitingForSlot, outcome.Status);
        var entry = (await harness.First.LedgerEntryOfAsync(harness.First.Uploads.GetBlobClient("batch/frame-00.png")))!;
        Assert.Equal("released", entry.State);
        Assert.Equal("admission_unavailable", entry.LastErrorCode);
        Assert.Equal(0, entry.Attempts);

        await harness.Queues.RunUntilIdleAsync();

        Assert.Single(await PipelineHarness.PeekAllAsync(harness.First.Completions));
        Assert.Empty(await PipelineHarness.PeekAllAsync(harness.First.Failures));
    }

    private static async Task<Azure.Storage.Blobs.BlobClient> UploadPairAsync(AdmissionHarness harness)
    {
        await harness.First.UploadSidecarAsync("batch/frame-00.json", Sidecars.Valid);
        return await harness.First.UploadImageAsync("batch/frame-00.png", TestImages.Png(64, 36));
    }
}
