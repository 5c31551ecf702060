using Microsoft.Extensions.DependencyInjection;
using StartFrame.Core.WaysIn;
using StartFrame.IntegrationTests.Cli;
using StartFrame.IntegrationTests.Infrastructure;

namespace StartFrame.IntegrationTests.Hostile;

/// <summary>A blob name from outside never reaches another container, and no SAS is ever issued outside the uploads container.</summary>
[Collection(StorageCollection.Name)]
public sealed class BlobNamesFromOutsideTests(AzuriteFixture azurite) : IDisposable
{
    private readonly ScratchDirectory _files = new();

    public static TheoryData<string> Escapes => new()
    {
        "start-frames/../secret/x.png",
        "start-frames/a/../../secret/x.png",
        "start-frames/./x.png",
        "start-frames/a//x.png",
        "start-frames//x.png",
        "start-frames/a/x.png/",
        "start-frames/x\u0001.png",
        "start-frames/a\\..\\..\\secret\\x.png",
        "start-frames/..",
    };

    private static async Task<PipelineHarness> StartWithSecretAsync(AzuriteFixture azurite)
    {
        var harness = await PipelineHarness.StartAsync(azurite.Server);
        var secret = harness.Blobs.GetBlobContainerClient("secret");
        await secret.CreateIfNotExistsAsync();
        await secret.GetBlobClient("x.png").UploadAsync(BinaryData.FromBytes(TestImages.Png(640, 360)), overwrite: true);
        await harness.UploadImageAsync("a/x.png", TestImages.Png(640, 360));
        await harness.UploadImageAsync("x.png", TestImages.Png(640, 360));
        return harness;
    }

    [Theory]
    [MemberData(nameof(Escapes))]
    public async Task A_blob_field_that_leaves_the_uploads_container_or_is_not_a_plain_name_is_400_and_nothing_is_sent(string address)
    {
        await using var harness = await StartWithSecretAsync(azurite);
        var api = harness.Services.GetRequiredService<IVideoApi>();
        var body = new System.Text.Json.Nodes.JsonObject { ["blob"] = address }.ToJsonString();

        var response = await HttpCall.RunAsync(api.SubmitAsync(HttpCall.Post(body), CancellationToken.None));

        Assert.Equal(400, response.Status);
        Assert.Equal("blob", response.Json["errors"]![0]!["field"]!.GetValue<string>());
        Assert.Equal(0, harness.Simulator.PostCount);
    }

    [Fact]
    public async Task A_queue_message_naming_a_blob_outside_the_uploads_container_becomes_a_failure_record_without_a_SAS()
    {
        await using var harness = await StartWithSecretAsync(azurite);
        var processor = harness.Services.GetRequiredService<ISubmissionQueueProcessor>();

        await processor.ProcessAsync("""{"blob": "start-frames/../secret/x.png"}""", "m-1", 1, CancellationToken.None);

        var failure = Assert.Single(await PipelineHarness.PeekAllAsync(harness.Failures));
        Assert.Equal("blob", failure["errors"]![0]!["field"]!.GetValue<string>());
        Assert.Empty(await RecordSchemas.FailureRecordErrorsAsync(failure.ToJsonString()));
        Assert.Equal(0, harness.Simulator.PostCount);
    }

    [Fact]
    public async Task Submit_on_the_command_line_refuses_a_blob_outside_the_uploads_container_with_exit_2_and_one_line()
    {
        await using var harness = await StartWithSecretAsync(azurite);

        var run = await CliProcess.RunAsync(harness.Settings, "submit", "start-frames/../secret/x.png");

        Assert.True(run.ExitCode == 2, run.StandardOutput + run.StandardError);
        Assert.Contains("blob", run.StandardOutput + run.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.StandardError, StringComparison.Ordinal);
        Assert.Equal(0, harness.Simulator.PostCount);
    }

    [Fact]
    public async Task Process_refuses_an_address_with_dot_segments_with_exit_2()
    {
        await using var harness = await StartWithSecretAsync(azurite);

        var run = await CliProcess.RunAsync(harness.Settings, "process", "start-frames/../secret/x.png");

        Assert.True(run.ExitCode == 2, run.StandardOutput + run.StandardError);
        Assert.Single(HostileInputs.Lines(run.StandardError));
        Assert.Equal(0, harness.Simulator.PostCount);
    }

    [Theory]
    [InlineData("../other")]
    [InlineData("a/../../other")]
    [InlineData("a/./b")]
    [InlineData("a//b")]
    [InlineData("a\\..\\..\\other")]
    public async Task Upload_refuses_a_prefix_with_dot_or_empty_segments_and_writes_nothing_anywhere(string prefix)
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var other = harness.Blobs.GetBlobContainerClient("other");
        await other.DeleteIfExistsAsync();
        var image = _files.Write("cat.png", TestImages.Png(640, 360));
        _files.Write("cat.json", Sidecars.Valid);

        var run = await CliProcess.RunAsync(harness.Settings, "upload", image, "--prefix", prefix);

        Assert.True(run.ExitCode == 2, run.StandardOutput + run.StandardError);
        Assert.Contains("--prefix", run.StandardError, StringComparison.Ordinal);
        Assert.False(await other.ExistsAsync());
        await foreach (var _ in harness.Uploads.GetBlobsAsync())
        {
            Assert.Fail("nothing should have been uploaded");
        }
    }

    public void Dispose() => _files.Dispose();
}
