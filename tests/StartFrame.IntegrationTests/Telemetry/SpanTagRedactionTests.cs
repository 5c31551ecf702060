using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using StartFrame.Core.Redaction;
using StartFrame.Core.Telemetry;
using StartFrame.Core.WaysIn;
using StartFrame.IntegrationTests.Infrastructure;
using StartFrame.IntegrationTests.Tracking;

namespace StartFrame.IntegrationTests.Telemetry;

/// <summary>Spans leave the process: no tag may carry the API key, a SAS query or a bearer token, whatever the input.</summary>
[Collection(StorageCollection.Name)]
public sealed class SpanTagRedactionTests(AzuriteFixture azurite)
{
    private const string BlobBearer = "Bearer eyJhbGciOi.abc123";
    private const string HttpBearer = "Bearer eyJzdWIiOi.def456";

    [Fact]
    public async Task No_span_tag_carries_the_api_key_a_sas_query_or_a_bearer_token()
    {
        using var capture = new TraceCapture();
        var clock = TrackingHarness.Clock();
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock, settings: PipelineHarness.HttpImageUrls);

        // A blob named with the key, under a correlation id that is a bearer token.
        var stem = $"leaky/{PipelineHarness.ApiKey}/cat";
        await harness.UploadSidecarAsync(stem + ".json", Sidecars.Valid);
        var image = await harness.UploadImageAsync(stem + ".png", TestImages.Png(640, 360));
        var blob = await harness.Processor.ProcessBlobAsync(image, BlobBearer, CancellationToken.None);

        // An image URL with a SAS query, and again a bearer token for a correlation id.
        var sasUrl = await harness.ImageUrlAsync("leaky.png");
        var body = $$"""{"imageUrl": "{{sasUrl}}", "correlationId": "{{HttpBearer}}", "prompt": "a cat", "duration": 5}""";
        var http = await HttpCall.RunAsync(harness.Services.GetRequiredService<IVideoApi>().SubmitAsync(HttpCall.Post(body), CancellationToken.None));
        await harness.Tracking.RunUntilIdleAsync();

        Assert.NotNull(blob.TaskId);
        Assert.True(http.Status == 202, http.Body);
        var roots = capture.Spans.Where(s => s.OperationName is SpanNames.Upload or SpanNames.Submission && s.GetTagItem(TagNames.CorrelationId) is "Bearer " + Redactor.Mask).ToList();
        Assert.Equal(2, roots.Count);
        var spans = roots.SelectMany(root => capture.Trace(root.TraceId)).ToList();
        var tags = spans.SelectMany(s => s.TagObjects).Select(t => $"{t.Key}={t.Value}").ToList();

        Assert.Contains(spans, s => s.OperationName == SpanNames.Copy);
        Assert.Contains(tags, t => t.StartsWith(TagNames.Blob + "=leaky/" + Redactor.Mask, StringComparison.Ordinal));
        Assert.Contains(tags, t => t.StartsWith(TagNames.Blob + "=" + sasUrl.GetLeftPart(UriPartial.Path), StringComparison.Ordinal));
        Assert.DoesNotContain(tags, t => t.Contains(PipelineHarness.ApiKey, StringComparison.Ordinal));
        Assert.DoesNotContain(tags, t => t.Contains(sasUrl.Query.TrimStart('?'), StringComparison.Ordinal));
        Assert.DoesNotContain(tags, t => t.Contains(BlobBearer, StringComparison.Ordinal) || t.Contains(HttpBearer, StringComparison.Ordinal));
    }
}
