using Microsoft.Extensions.DependencyInjection;
using ModelStream.Simulator;
using StartFrame.Core.WaysIn;
using StartFrame.IntegrationTests.Infrastructure;

namespace StartFrame.IntegrationTests;

/// <summary>The HTTP-facing service, through real Azurite and the simulator, without the Functions host.</summary>
[Collection(StorageCollection.Name)]
public sealed class VideoApiTests(AzuriteFixture azurite)
{
    private const string BlobBody = """{"blob": "start-frames/http/cat.png", "prompt": "a cat", "duration": 5}""";

    private static async Task<(PipelineHarness Harness, IVideoApi Api)> StartAsync(AzuriteFixture azurite, Dictionary<string, string?>? settings = null, SimulatorOptions? simulator = null)
    {
        var harness = await PipelineHarness.StartAsync(azurite.Server, settings, simulator);
        await harness.UploadImageAsync("http/cat.png", TestImages.Png(640, 360));
        return (harness, harness.Services.GetRequiredService<IVideoApi>());
    }

    [Fact]
    public async Task Valid_blob_submission_answers_202_with_the_task_record_and_its_location()
    {
        var (harness, api) = await StartAsync(azurite);
        await using var _ = harness;

        var response = await HttpCall.RunAsync(api.SubmitAsync(HttpCall.Post(BlobBody), CancellationToken.None));

        Assert.Equal(202, response.Status);
        var taskId = response.Json["taskId"]!.GetValue<string>();
        Assert.Equal($"videos/{taskId}", response.Headers.Location.ToString()); // relative: POST .../api/videos -> .../api/videos/{taskId}
        Assert.Equal("http", response.Json["origin"]!.GetValue<string>());
        Assert.Empty(await RecordSchemas.TaskRecordErrorsAsync(response.Body));
        Assert.Single(await PipelineHarness.PeekAllAsync(harness.Tasks));
        Assert.Contains("sig=", harness.Simulator.Requests[0].Body!["images"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        var status = await HttpCall.RunAsync(api.GetAsync(taskId, CancellationToken.None));
        Assert.Equal(200, status.Status);
        Assert.Equal("recorded", status.Json["state"]!.GetValue<string>());
        Assert.Equal("a cat", status.Json["parameters"]!["prompt"]!.GetValue<string>());
    }

    [Fact]
    public async Task Image_url_is_passed_through_and_http_is_refused_unless_allowed()
    {
        // An https URL must reach ModelStream untouched, and nothing here can serve https: the simulator does not fetch it.
        var (harness, api) = await StartAsync(azurite, simulator: new SimulatorOptions { FetchImages = false });
        await using var _ = harness;

        var https = await HttpCall.RunAsync(api.SubmitAsync(HttpCall.Post("""{"imageUrl": "https://images.example/cat.png?sig=abc"}"""), CancellationToken.None));
        var http = await HttpCall.RunAsync(api.SubmitAsync(HttpCall.Post("""{"imageUrl": "http://images.example/cat.png"}"""), CancellationToken.None));

        Assert.Equal(202, https.Status);
        Assert.Equal("https://images.example/cat.png?sig=abc", harness.Simulator.Requests[0].Body!["images"]![0]!.GetValue<string>());
        Assert.Equal("https://images.example/cat.png", https.Json["source"]!["url"]!.GetValue<string>());
        Assert.Equal(400, http.Status);
        Assert.Equal("imageUrl", http.Json["errors"]![0]!["field"]!.GetValue<string>());
        Assert.Equal(1, harness.Simulator.PostCount);
    }

    [Fact]
    public async Task Invalid_input_is_400_problem_details_with_every_validator_error_and_no_POST()
    {
        var (harness, api) = await StartAsync(azurite);
        await using var _ = harness;

        var response = await HttpCall.RunAsync(api.SubmitAsync(HttpCall.Post("""{"blob": "start-frames/http/cat.png", "duration": 11, "durration": 5}"""), CancellationToken.None));

        Assert.Equal(400, response.Status);
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.Equal(400, response.Json["status"]!.GetValue<int>());
        var fields = response.Json["errors"]!.AsArray().Select(e => e!["field"]!.GetValue<string>()).Order(StringComparer.Ordinal);
        Assert.Equal(["duration", "durration"], fields);
        Assert.Equal(0, harness.Simulator.PostCount);
    }

    [Theory]
    [InlineData("not json", "invalid_json")]
    [InlineData("[1,2]", "not_an_object")]
    [InlineData("""{"prompt": "no image"}""", "missing_required")]
    [InlineData("""{"blob": "other-container/x.png"}""", "not_allowed")]
    [InlineData("""{"blob": "start-frames/http/missing.png"}""", "not_found")]
    public async Task Malformed_bodies_are_400_naming_the_problem(string body, string code)
    {
        var (harness, api) = await StartAsync(azurite);
        await using var _ = harness;

        var response = await HttpCall.RunAsync(api.SubmitAsync(HttpCall.Post(body), CancellationToken.None));

        Assert.Equal(400, response.Status);
        Assert.Contains(response.Json["errors"]!.AsArray(), e => e!["code"]!.GetValue<string>() == code);
    }

    [Fact]
    public async Task Same_idempotency_key_and_body_replays_the_record_without_a_second_POST()
    {
        var (harness, api) = await StartAsync(azurite);
        await using var _ = harness;

        var first = await HttpCall.RunAsync(api.SubmitAsync(HttpCall.Post(BlobBody, "key-1"), CancellationToken.None));
        var second = await HttpCall.RunAsync(api.SubmitAsync(HttpCall.Post(BlobBody, "key-1"), CancellationToken.None));

        Assert.Equal(202, second.Status);
        Assert.Equal(first.Json["taskId"]!.GetValue<string>(), second.Json["taskId"]!.GetValue<string>());
        Assert.Equal("true", second.Headers["Idempotent-Replayed"].ToString());
        Assert.Equal(1, harness.Simulator.PostCount);
        Assert.Single(await PipelineHarness.PeekAllAsync(harness.Tasks));
    }

    [Fact]
    public async Task Same_idempotency_key_with_a_different_body_is_422()
    {
        var (harness, api) = await StartAsync(azurite);
        await using var _ = harness;
        await HttpCall.RunAsync(api.SubmitAsync(HttpCall.Post(BlobBody, "key-2"), CancellationToken.None));

        var reused = await HttpCall.RunAsync(api.SubmitAsync(HttpCall.Post("""{"blob": "start-frames/http/cat.png", "duration": 6}""", "key-2"), CancellationToken.None));

        Assert.Equal(422, reused.Status);
        Assert.Equal("idempotency_key_reused", reused.Json["errors"]![0]!["code"]!.GetValue<string>());
        Assert.Equal(1, harness.Simulator.PostCount);
    }

    [Fact]
    public async Task Throttling_is_503_with_Retry_After_and_the_same_key_succeeds_later()
    {
        var (harness, api) = await StartAsync(azurite, new Dictionary<string, string?> { ["ModelStream:MaxRetries"] = "0" });
        await using var _ = harness;
        harness.Simulator.AddFaults(new SimulatedFault { Status = 429, RetryAfter = 7 });

        var throttled = await HttpCall.RunAsync(api.SubmitAsync(HttpCall.Post(BlobBody, "key-3"), CancellationToken.None));
        var later = await HttpCall.RunAsync(api.SubmitAsync(HttpCall.Post(BlobBody, "key-3"), CancellationToken.None));

        Assert.Equal(503, throttled.Status);
        Assert.Equal("7", throttled.Headers.RetryAfter.ToString());
        Assert.Equal(202, later.Status);
        Assert.Single(await PipelineHarness.PeekAllAsync(harness.Tasks));
    }

    [Fact]
    public async Task Ambiguous_outcome_is_502_saying_so_and_is_recorded_in_the_ledger()
    {
        var (harness, api) = await StartAsync(azurite);
        await using var _ = harness;
        harness.Simulator.AddFaults(new SimulatedFault { Status = 504 });

        var response = await HttpCall.RunAsync(api.SubmitAsync(HttpCall.Post(BlobBody, "key-4"), CancellationToken.None));
        var retried = await HttpCall.RunAsync(api.SubmitAsync(HttpCall.Post(BlobBody, "key-4"), CancellationToken.None));

        Assert.Equal(502, response.Status);
        Assert.Contains("not re-sent", response.Json["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(502, retried.Status);
        Assert.Equal(1, harness.Simulator.PostCount);
        Assert.Single(await PipelineHarness.PeekAllAsync(harness.Failures));
    }

    [Fact]
    public async Task Unknown_task_is_404()
    {
        var (harness, api) = await StartAsync(azurite);
        await using var _ = harness;

        var response = await HttpCall.RunAsync(api.GetAsync("no-such-task", CancellationToken.None));

        Assert.Equal(404, response.Status);
        Assert.Equal("application/problem+json", response.ContentType);
    }
}
