using System.Text.Json.Nodes;
using StartFrame.Core.WaysIn;
using StartFrame.IntegrationTests.Infrastructure;

namespace StartFrame.IntegrationTests;

/// <summary>A start frame uploaded to storage becomes a queued task record, end to end on real storage.</summary>
[Collection(StorageCollection.Name)]
public sealed class WalkingSkeletonTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Uploaded_pair_becomes_exactly_one_task_record_matching_its_schema_and_what_was_sent()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        await harness.UploadSidecarAsync("a/b/cat.json", Sidecars.Valid);
        var image = await harness.UploadImageAsync("a/b/cat.png", TestImages.Png(640, 360));

        var outcome = await harness.Processor.ProcessBlobAsync(image, "corr-1", CancellationToken.None);

        Assert.Equal(OutcomeStatus.Submitted, outcome.Status);
        var records = await PipelineHarness.PeekAllAsync(harness.Tasks);
        var record = Assert.Single(records);
        Assert.Empty(await RecordSchemas.TaskRecordErrorsAsync(record.ToJsonString()));

        var received = Assert.Single(harness.Simulator.Requests).Body!.AsObject();
        Assert.Equal(outcome.TaskId, record["taskId"]!.GetValue<string>());
        Assert.Equal("corr-1", record["correlationId"]!.GetValue<string>());
        Assert.Equal("blob", record["origin"]!.GetValue<string>());
        Assert.Equal("a/b/cat.json", record["sidecar"]!.GetValue<string>());
        Assert.Equal("a/b/cat.png", record["source"]!["blob"]!.GetValue<string>());
        Assert.Equal((await image.GetPropertiesAsync()).Value.ETag.ToString(), record["source"]!["etag"]!.GetValue<string>());

        // The record's parameters are exactly what ModelStream received, but for the image URL's SAS query.
        var sentImage = received["images"]![0]!.GetValue<string>();
        var recordedImage = record["parameters"]!["images"]![0]!.GetValue<string>();
        Assert.Contains("sig=", sentImage, StringComparison.Ordinal);
        Assert.Equal(image.Uri.AbsoluteUri, recordedImage);
        var expected = received.DeepClone().AsObject();
        expected["images"] = new JsonArray(recordedImage);
        Assert.True(JsonNode.DeepEquals(expected, record["parameters"]), $"sent {received.ToJsonString()} recorded {record["parameters"]!.ToJsonString()}");
    }

    [Fact]
    public async Task ModelStream_receives_the_wire_shape_with_an_image_url_that_really_downloads_the_image()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var bytes = TestImages.Png(512, 512);
        await harness.UploadSidecarAsync("dog.json", Sidecars.Valid);
        var image = await harness.UploadImageAsync("dog.png", bytes);

        await harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None);

        var request = Assert.Single(harness.Simulator.Requests);
        Assert.Equal("/v1/video/generations", request.Path);
        Assert.DoesNotContain(request.Headers.Keys, h => h.Equals("Authorization", StringComparison.OrdinalIgnoreCase));
        var body = request.Body!.AsObject();
        Assert.Equal("viduq2-pro-fast", body["model"]!.GetValue<string>());
        Assert.Equal(5, body["duration"]!.GetValue<int>());
        Assert.Equal("1080p", body["metadata"]!["resolution"]!.GetValue<string>());
        Assert.Equal(42, body["metadata"]!["seed"]!.GetValue<int>());
        Assert.True(body["metadata"]!["bgm"]!.GetValue<bool>());
        Assert.Equal("auto", body["metadata"]!["movement_amplitude"]!.GetValue<string>());
        Assert.Null(body["seed"]);
        Assert.Null(body["resolution"]);

        // The URL ModelStream gets is a working read-only SAS: fetch it as ModelStream would.
        var url = Assert.Single(body["images"]!.AsArray())!.GetValue<string>();
        using var http = new HttpClient();
        Assert.Equal(bytes, await http.GetByteArrayAsync(new Uri(url)));
        using var write = await http.PutAsync(new Uri(url), new ByteArrayContent([1, 2, 3]));
        Assert.False(write.IsSuccessStatusCode, "the SAS must not allow writes");
    }

    [Fact]
    public async Task Image_without_its_sidecar_waits_and_nothing_is_sent_or_failed()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var image = await harness.UploadImageAsync("lonely.png", TestImages.Png(640, 360));

        var outcome = await harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None);

        Assert.Equal(OutcomeStatus.Waiting, outcome.Status);
        Assert.Equal(0, harness.Simulator.PostCount);
        Assert.Empty(await PipelineHarness.PeekAllAsync(harness.Tasks));
        Assert.Empty(await PipelineHarness.PeekAllAsync(harness.Failures));
        Assert.Equal("waiting", (await harness.LedgerEntryOfAsync(image))!.State);
    }
}
