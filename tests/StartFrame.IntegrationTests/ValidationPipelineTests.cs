using StartFrame.Core.WaysIn;
using StartFrame.IntegrationTests.Infrastructure;

namespace StartFrame.IntegrationTests;

/// <summary>Bad input is refused before any credit is spent, with a failure record a person can act on.</summary>
[Collection(StorageCollection.Name)]
public sealed class ValidationPipelineTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Invalid_sidecar_yields_one_failure_record_listing_every_error_and_no_ModelStream_call()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        await harness.UploadSidecarAsync("bad.json", """{"durration": 5, "duration": 11, "resolution": "4k"}""");
        var image = await harness.UploadImageAsync("bad.png", TestImages.Png(640, 360));

        var outcome = await harness.Processor.ProcessBlobAsync(image, "corr-bad", CancellationToken.None);
        var again = await harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None);

        Assert.Equal(OutcomeStatus.Rejected, outcome.Status);
        Assert.Equal(OutcomeStatus.AlreadyFailed, again.Status);
        Assert.Equal(0, harness.Simulator.PostCount);
        var failure = Assert.Single(await PipelineHarness.PeekAllAsync(harness.Failures));
        Assert.Empty(await RecordSchemas.FailureRecordErrorsAsync(failure.ToJsonString()));
        Assert.Equal("validation", failure["stage"]!.GetValue<string>());
        Assert.False(failure["retryable"]!.GetValue<bool>());
        Assert.Equal("corr-bad", failure["correlationId"]!.GetValue<string>());
        var codes = failure["errors"]!.AsArray().Select(e => $"{e!["field"]}:{e["code"]}").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["duration:out_of_range", "durration:unknown_field", "resolution:not_allowed"], codes);
        Assert.Empty(await PipelineHarness.PeekAllAsync(harness.Tasks));
    }

    [Fact]
    public async Task Fixing_a_refused_sidecar_submits_the_image()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        await harness.UploadSidecarAsync("fixme.json", """{"duration": 0}""");
        var image = await harness.UploadImageAsync("fixme.png", TestImages.Png(640, 360));
        Assert.Equal(OutcomeStatus.Rejected, (await harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None)).Status);

        var fixedSidecar = await harness.UploadSidecarAsync("fixme.json", """{"duration": 10}""");
        var outcome = await harness.Processor.ProcessBlobAsync(fixedSidecar, null, CancellationToken.None);

        Assert.Equal(OutcomeStatus.Submitted, outcome.Status);
        Assert.Equal(10, Assert.Single(harness.Simulator.Requests).Body!["duration"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("liar.webp", 640, 360, "format_mismatch")]
    [InlineData("tall.png", 100, 401, "aspect_ratio")]
    [InlineData("wide.png", 401, 100, "aspect_ratio")]
    public async Task Images_the_model_cannot_take_are_refused_from_their_first_bytes(string name, int width, int height, string code)
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        await harness.UploadSidecarAsync(Path.ChangeExtension(name, ".json"), Sidecars.Valid);
        var image = await harness.UploadImageAsync(name, TestImages.Png(width, height));

        var outcome = await harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None);

        Assert.Equal(OutcomeStatus.Rejected, outcome.Status);
        Assert.Contains(outcome.Errors!, e => e.Code == code);
        Assert.Equal(0, harness.Simulator.PostCount);
    }

    [Fact]
    public async Task An_image_over_50_MB_is_refused_without_being_downloaded()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        await harness.UploadSidecarAsync("huge.json", Sidecars.Valid);
        var image = await harness.UploadImageAsync("huge.png", TestImages.Png(640, 360, padToBytes: 50_000_001));
        harness.StorageFaults.ClearLog();

        var outcome = await harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None);

        Assert.Equal(OutcomeStatus.Rejected, outcome.Status);
        Assert.Contains(outcome.Errors!, e => e.Code == "too_large");
        Assert.Equal(0, harness.Simulator.PostCount);
        Assert.Single(harness.StorageFaults.Operations, op => op.StartsWith("GET ", StringComparison.Ordinal) && op.EndsWith("/start-frames/huge.png [bytes=0-65535]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_file_that_is_neither_image_nor_sidecar_is_reported_not_ignored()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var blob = await harness.UploadImageAsync("notes.txt", [1, 2, 3]);

        var outcome = await harness.Processor.ProcessBlobAsync(blob, null, CancellationToken.None);

        Assert.Equal(OutcomeStatus.Rejected, outcome.Status);
        var failure = Assert.Single(await PipelineHarness.PeekAllAsync(harness.Failures));
        Assert.Equal("unsupported_format", failure["errors"]![0]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_name_that_is_no_blob_and_no_image_is_gone_not_a_failure_record()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        await harness.UploadImageAsync("batch1/a.png", TestImages.Png(640, 360));

        var outcome = await harness.Processor.ProcessBlobAsync(harness.Uploads.GetBlobClient("batch1"), null, CancellationToken.None);

        Assert.Equal(OutcomeStatus.Gone, outcome.Status);
        Assert.Empty(await PipelineHarness.PeekAllAsync(harness.Failures));
    }
}
