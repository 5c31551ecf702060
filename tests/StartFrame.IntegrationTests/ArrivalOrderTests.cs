using StartFrame.Core.WaysIn;
using StartFrame.IntegrationTests.Infrastructure;

namespace StartFrame.IntegrationTests;

/// <summary>Image and sidecar may land in either order; every upload ends as a record, a failure, or waiting.</summary>
[Collection(StorageCollection.Name)]
public sealed class ArrivalOrderTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Sidecar_first_then_image_submits_once()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var sidecar = await harness.UploadSidecarAsync("order/s.json", Sidecars.Valid);
        var early = await harness.Processor.ProcessBlobAsync(sidecar, null, CancellationToken.None);
        Assert.Equal(OutcomeStatus.SidecarWithoutImage, early.Status);
        Assert.Equal(0, harness.Simulator.PostCount);

        var image = await harness.UploadImageAsync("order/s.png", TestImages.Png(640, 360));
        var outcome = await harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None);

        Assert.Equal(OutcomeStatus.Submitted, outcome.Status);
        Assert.Equal(1, harness.Simulator.PostCount);
        Assert.Single(await PipelineHarness.PeekAllAsync(harness.Tasks));
    }

    [Fact]
    public async Task Image_first_waits_then_its_sidecar_submits_it()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var image = await harness.UploadImageAsync("order/i.PNG", TestImages.Png(640, 360));
        Assert.Equal(OutcomeStatus.Waiting, (await harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None)).Status);

        var sidecar = await harness.UploadSidecarAsync("order/i.json", Sidecars.Valid);
        var outcome = await harness.Processor.ProcessBlobAsync(sidecar, null, CancellationToken.None);

        Assert.Equal(OutcomeStatus.Submitted, outcome.Status);
        Assert.Equal("order/i.PNG", outcome.Record!.Source.Blob);
        Assert.Equal(1, harness.Simulator.PostCount);
        Assert.Empty(await PipelineHarness.PeekAllAsync(harness.Failures));
        Assert.Equal("recorded", (await harness.LedgerEntryOfAsync(image))!.State);
    }

    [Fact]
    public async Task Image_without_sidecar_is_submitted_with_catalog_defaults_when_sidecars_are_optional()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server, new Dictionary<string, string?> { ["StartFrame:SidecarRequired"] = "false" });
        var image = await harness.UploadImageAsync("bare.png", TestImages.Png(640, 360));

        var outcome = await harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None);

        Assert.True(outcome.Status == OutcomeStatus.Submitted, string.Join("; ", outcome.Errors?.Select(e => e.ToString()) ?? []));
        var body = Assert.Single(harness.Simulator.Requests).Body!.AsObject();
        Assert.Equal("viduq2-pro-fast", body["model"]!.GetValue<string>());
        Assert.Null(outcome.Record!.Sidecar);
    }
}
