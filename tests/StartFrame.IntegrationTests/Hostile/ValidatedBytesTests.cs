using StartFrame.Core.WaysIn;
using StartFrame.IntegrationTests.Infrastructure;

namespace StartFrame.IntegrationTests.Hostile;

/// <summary>The URL handed to ModelStream serves the bytes that were validated, whatever happens to the blob afterwards.</summary>
[Collection(StorageCollection.Name)]
public sealed class ValidatedBytesTests(AzuriteFixture azurite)
{
    private static readonly byte[] Gif = [.. "GIF89a"u8, 0x80, 0x02, 0x68, 0x01, 0, 0, 0, 0x2C, 0, 0, 0, 0, 0x01, 0, 0x01, 0, 0, 0x02, 0x02, 0x44, 0x01, 0, 0x3B];

    [Fact]
    public async Task Overwriting_the_image_after_submission_leaves_the_tasks_url_serving_the_validated_bytes()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var validated = TestImages.Png(640, 360);
        await harness.UploadSidecarAsync("swap.json", Sidecars.Valid);
        var image = await harness.UploadImageAsync("swap.png", validated);
        Assert.Equal(OutcomeStatus.Submitted, (await harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None)).Status);
        var url = harness.Simulator.Requests.Single().Body!["images"]![0]!.GetValue<string>();

        await harness.UploadImageAsync("swap.png", Gif);

        using var http = new HttpClient();
        Assert.Equal(validated, await http.GetByteArrayAsync(new Uri(url)));
        using var direct = await http.GetAsync(new Uri(image.Uri.AbsoluteUri));
        Assert.False(direct.IsSuccessStatusCode); // the URL without its SAS serves nothing
    }

    [Fact]
    public async Task An_HTTP_blob_submission_also_hands_over_a_url_of_the_validated_bytes()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var validated = TestImages.Png(640, 360);
        await harness.UploadImageAsync("swap-http.png", validated);
        var api = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<StartFrame.Core.WaysIn.IVideoApi>(harness.Services);
        Assert.Equal(202, (await HttpCall.RunAsync(api.SubmitAsync(HttpCall.Post("""{"blob": "start-frames/swap-http.png"}"""), CancellationToken.None))).Status);
        var url = harness.Simulator.Requests.Single().Body!["images"]![0]!.GetValue<string>();

        await harness.UploadImageAsync("swap-http.png", Gif);

        using var http = new HttpClient();
        Assert.Equal(validated, await http.GetByteArrayAsync(new Uri(url)));
    }
}
