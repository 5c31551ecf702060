using StartFrame.Core.Submitting;
using StartFrame.Core.WaysIn;
using StartFrame.IntegrationTests.Infrastructure;

namespace StartFrame.IntegrationTests;

/// <summary>A queue that fails after a successful POST loses nothing and charges nothing twice.</summary>
[Collection(StorageCollection.Name)]
public sealed class StorageFaultTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Record_lost_to_a_queue_outage_after_the_POST_appears_on_redelivery_without_a_second_POST()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        await harness.UploadSidecarAsync("outage.json", Sidecars.Valid);
        var image = await harness.UploadImageAsync("outage.png", TestImages.Png(640, 360));
        harness.StorageFaults.FailWhen(m => m.Request.Uri.Path.EndsWith("/video-tasks/messages", StringComparison.Ordinal));

        await Assert.ThrowsAsync<TransientSubmissionException>(() => harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None));

        var owed = (await harness.LedgerEntryOfAsync(image))!;
        Assert.Equal("submitted", owed.State);
        Assert.NotNull(owed.TaskId);
        Assert.Equal("video-tasks", owed.RecordQueue); // the owed record is the entry's own task record copy
        Assert.NotNull(owed.TaskRecordJson);
        Assert.Empty(await PipelineHarness.PeekAllAsync(harness.Tasks));

        harness.StorageFaults.Heal();
        var redelivered = await harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None);

        Assert.Equal(OutcomeStatus.RecordWritten, redelivered.Status);
        var record = Assert.Single(await PipelineHarness.PeekAllAsync(harness.Tasks));
        Assert.Equal(owed.TaskId, record["taskId"]!.GetValue<string>());
        Assert.Equal(1, harness.Simulator.PostCount);
        var settled = (await harness.LedgerEntryOfAsync(image))!;
        Assert.Equal("recorded", settled.State);
        Assert.Null(settled.RecordQueue);
    }

    [Fact]
    public async Task Failure_record_lost_to_a_queue_outage_is_written_on_redelivery()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        await harness.UploadSidecarAsync("outage2.json", Sidecars.Valid);
        var image = await harness.UploadImageAsync("outage2.png", TestImages.Png(640, 360));
        harness.Simulator.AddFaults(new ModelStream.Simulator.SimulatedFault { Status = 500 });
        harness.StorageFaults.FailWhen(m => m.Request.Uri.Path.EndsWith("/video-task-failures/messages", StringComparison.Ordinal));

        await Assert.ThrowsAsync<TransientSubmissionException>(() => harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None));
        harness.StorageFaults.Heal();
        await harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None);

        Assert.Single(await PipelineHarness.PeekAllAsync(harness.Failures));
        Assert.Equal(1, harness.Simulator.PostCount);
        Assert.Equal("ambiguous", (await harness.LedgerEntryOfAsync(image))!.State);
    }
}
