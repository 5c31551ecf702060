using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using StartFrame.Core.WaysIn;
using StartFrame.IntegrationTests.Infrastructure;

namespace StartFrame.IntegrationTests.Hostile;

/// <summary>Correlation ids are checked at the way in; a failure before the request leaves is never ambiguous.</summary>
[Collection(StorageCollection.Name)]
public sealed class CorrelationIdTests(AzuriteFixture azurite)
{
    public static TheoryData<string> BadIds => new()
    {
        "line\nbreak",
        "carriage\rreturn",
        "tab\there",
        "naïve-été",
        "emoji-🎬",
        new string('c', 129),
        "",
        " padded ",
    };

    [Theory]
    [MemberData(nameof(BadIds))]
    public async Task A_queue_message_with_a_bad_correlation_id_becomes_a_failure_record_before_any_claim(string correlationId)
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var processor = harness.Services.GetRequiredService<ISubmissionQueueProcessor>();
        var message = HostileInputs.Json(new JsonObject { ["imageUrl"] = "https://images.example.com/cat.png", ["correlationId"] = correlationId });

        await processor.ProcessAsync(message, "m-1", 1, CancellationToken.None);

        var failure = Assert.Single(await PipelineHarness.PeekAllAsync(harness.Failures));
        Assert.Equal("correlationId", failure["errors"]![0]!["field"]!.GetValue<string>());
        Assert.Equal("validation", failure["stage"]!.GetValue<string>());
        Assert.Empty(await RecordSchemas.FailureRecordErrorsAsync(failure.ToJsonString()));
        Assert.Empty(await HostileInputs.AllLedgerRowsAsync(harness));
        Assert.Equal(0, harness.Simulator.PostCount);
    }

    [Fact]
    public async Task An_HTTP_body_with_a_multi_line_correlation_id_is_400_naming_the_field()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var api = harness.Services.GetRequiredService<IVideoApi>();

        var response = await HttpCall.RunAsync(api.SubmitAsync(
            HttpCall.Post("""{"imageUrl": "https://images.example.com/cat.png", "correlationId": "a\nb"}"""), CancellationToken.None));

        Assert.Equal(400, response.Status);
        Assert.Equal("correlationId", response.Json["errors"]![0]!["field"]!.GetValue<string>());
        Assert.Empty(await HostileInputs.AllLedgerRowsAsync(harness));
    }

    [Fact]
    public async Task A_body_with_text_that_is_not_UTF16_is_400_before_any_claim_and_never_reaches_the_POST()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var api = harness.Services.GetRequiredService<IVideoApi>();

        var response = await HttpCall.RunAsync(api.SubmitAsync(
            HttpCall.Post("""{"imageUrl": "https://images.example.com/cat.png", "prompt": "half a pair \uD800 here"}"""), CancellationToken.None));

        Assert.Equal(400, response.Status);
        Assert.Equal("prompt", response.Json["errors"]![0]!["field"]!.GetValue<string>());
        Assert.Equal("invalid_encoding", response.Json["errors"]![0]!["code"]!.GetValue<string>());
        Assert.Empty(await HostileInputs.AllLedgerRowsAsync(harness));
        Assert.Equal(0, harness.Simulator.PostCount);
    }

    [Theory]
    [InlineData("""{"imageUrl": "https://images.example.com/cat.png", "prompt": "\uDC00"}""")]
    [InlineData("""{"imageUrl": "https://images.example.com/cat.png", "idempotencyKey": "k\uD800"}""")]
    [InlineData("""{"imageUrl": "https://images.example.com/cat.png", "metadata": {"\uD800x": 1}}""")]
    public async Task A_queue_message_with_text_that_is_not_UTF16_becomes_one_failure_record(string message)
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var processor = harness.Services.GetRequiredService<ISubmissionQueueProcessor>();

        await processor.ProcessAsync(message, "m-1", 1, CancellationToken.None);

        var failure = Assert.Single(await PipelineHarness.PeekAllAsync(harness.Failures));
        Assert.Equal("invalid_encoding", failure["errors"]![0]!["code"]!.GetValue<string>());
        Assert.Empty(await RecordSchemas.FailureRecordErrorsAsync(failure.ToJsonString()));
        Assert.Equal(0, harness.Simulator.PostCount);
    }

    [Fact]
    public async Task A_printable_ASCII_correlation_id_of_128_characters_reaches_the_header_and_the_record()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server, PipelineHarness.HttpImageUrls);
        var processor = harness.Services.GetRequiredService<ISubmissionQueueProcessor>();
        var id = "batch-7/42:" + new string('x', 117);
        var imageUrl = (await harness.ImageUrlAsync("cat.png")).AbsoluteUri;

        await processor.ProcessAsync(new JsonObject { ["imageUrl"] = imageUrl, ["correlationId"] = id }.ToJsonString(), "m-1", 1, CancellationToken.None);

        Assert.Equal(id, Assert.Single(await PipelineHarness.PeekAllAsync(harness.Tasks))["correlationId"]!.GetValue<string>());
        Assert.Equal(id, harness.Simulator.Requests[0].Headers["X-Correlation-Id"]);
    }
}
