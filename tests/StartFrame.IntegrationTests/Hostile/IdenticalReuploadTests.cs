using Azure.Storage.Blobs.Models;
using StartFrame.Core.WaysIn;
using StartFrame.IntegrationTests.Cli;
using StartFrame.IntegrationTests.Infrastructure;

namespace StartFrame.IntegrationTests.Hostile;

/// <summary>The same image and sidecar uploaded again is the same submission; a new take is explicit.</summary>
[Collection(StorageCollection.Name)]
public sealed class IdenticalReuploadTests(AzuriteFixture azurite) : IDisposable
{
    private readonly ScratchDirectory _files = new();

    [Fact]
    public async Task Uploading_the_same_image_and_sidecar_again_answers_already_submitted_with_the_first_task()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var bytes = TestImages.Png(640, 360);
        await harness.UploadSidecarAsync("again.json", Sidecars.Valid);
        var image = await harness.UploadImageAsync("again.png", bytes);
        var first = await harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None);

        await harness.UploadSidecarAsync("again.json", Sidecars.Valid);
        image = await harness.UploadImageAsync("again.png", bytes);
        var second = await harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None);

        Assert.Equal(OutcomeStatus.Submitted, first.Status);
        Assert.Equal(OutcomeStatus.AlreadySubmitted, second.Status);
        Assert.Equal(first.TaskId, second.TaskId);
        Assert.Equal(1, harness.Simulator.PostCount);
        Assert.Single(await PipelineHarness.PeekAllAsync(harness.Tasks));
    }

    [Fact]
    public async Task A_changed_sidecar_for_the_same_image_is_a_new_take()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        await harness.UploadSidecarAsync("take.json", Sidecars.Valid);
        var image = await harness.UploadImageAsync("take.png", TestImages.Png(640, 360));
        var first = await harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None);

        var sidecar = await harness.UploadSidecarAsync("take.json", """{"prompt": "a second take", "duration": 8}""");
        var second = await harness.Processor.ProcessBlobAsync(sidecar, null, CancellationToken.None);

        Assert.Equal(OutcomeStatus.Submitted, second.Status);
        Assert.NotEqual(first.TaskId, second.TaskId);
        Assert.Equal(2, harness.Simulator.PostCount);
    }

    [Fact]
    public async Task Redrive_again_makes_a_deliberate_new_take_of_a_recorded_upload()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        await harness.UploadSidecarAsync("retake.json", Sidecars.Valid);
        var image = await harness.UploadImageAsync("retake.png", TestImages.Png(640, 360));
        var first = await harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None);

        var refused = await CliProcess.RunAsync(harness.Settings, "redrive", "start-frames/retake.png");
        var again = await CliProcess.RunAsync(harness.Settings, "redrive", "start-frames/retake.png", "--again", "--json");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("--again", refused.StandardError, StringComparison.Ordinal);
        Assert.True(again.ExitCode == 0, again.StandardOutput + again.StandardError);
        Assert.Equal(2, harness.Simulator.PostCount);
        Assert.Equal(2, (await PipelineHarness.PeekAllAsync(harness.Tasks)).Count);
        Assert.Equal(OutcomeStatus.AlreadySubmitted, (await harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None)).Status);
        Assert.Equal(2, harness.Simulator.PostCount);
        _ = first;
    }

    [Fact]
    public async Task Upload_sets_the_content_md5_and_skips_files_whose_identical_content_is_already_there()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var image = _files.Write("same.png", TestImages.Png(640, 360));
        _files.Write("same.json", Sidecars.Valid);

        var first = await CliProcess.RunAsync(harness.Settings, "upload", image, "--prefix", "dup");
        var properties = (await harness.Uploads.GetBlobClient("dup/same.png").GetPropertiesAsync()).Value;
        var second = await CliProcess.RunAsync(harness.Settings, "upload", image, "--prefix", "dup");

        Assert.True(first.ExitCode == 0, first.StandardOutput + first.StandardError);
        Assert.True(second.ExitCode == 0, second.StandardOutput + second.StandardError);
#pragma warning disable CA5351 // Content-MD5 is storage's content fingerprint, not a security measure
        Assert.Equal(System.Security.Cryptography.MD5.HashData(File.ReadAllBytes(image)), properties.ContentHash);
#pragma warning restore CA5351
        Assert.StartsWith("skipped", second.StandardOutput.Trim(), StringComparison.Ordinal);
        Assert.Contains("identical", second.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(properties.ETag, (await harness.Uploads.GetBlobClient("dup/same.png").GetPropertiesAsync()).Value.ETag);
        BlobProperties sidecar = (await harness.Uploads.GetBlobClient("dup/same.json").GetPropertiesAsync()).Value;
        Assert.NotNull(sidecar.ContentHash);
    }

    public void Dispose() => _files.Dispose();
}
