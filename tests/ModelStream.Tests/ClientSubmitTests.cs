using System.Text.Json.Nodes;
using ModelStream.Client;

namespace ModelStream.Tests;

public sealed class ClientSubmitTests
{
    [Fact]
    public async Task Submit_sends_the_documented_wire_json_and_returns_the_task_id()
    {
        await using var harness = await ClientHarness.StartAsync();
        var request = new VideoGenerationRequest
        {
            Model = "viduq2-pro-fast",
            Images = [TestImageHost.FrameUrl],
            Fields = new JsonObject
            {
                ["stype"] = "general",
                ["prompt"] = "The astronaut waved and the camera moved up.",
                ["duration"] = 5,
                ["is_rec"] = false,
                ["audio"] = false,
                ["audio_type"] = "All",
                ["off_peak"] = false,
            },
            Metadata = new JsonObject { ["seed"] = 0, ["resolution"] = "1080p", ["bgm"] = false, ["movement_amplitude"] = "auto" },
        };

        var result = await harness.Client.SubmitAsync(request);

        Assert.Matches("^[a-z0-9]{12}$", result.TaskId);
        Assert.Equal("queued", result.Status);
        var received = Assert.Single(harness.Simulator.Requests);
        Assert.Equal("POST", received.Method);
        Assert.Equal("/v1/video/generations", received.Path);
        Assert.StartsWith("application/json", received.Headers["Content-Type"]);
        var expected = JsonNode.Parse($$"""
            {
              "model": "viduq2-pro-fast",
              "stype": "general",
              "prompt": "The astronaut waved and the camera moved up.",
              "duration": 5,
              "images": ["{{TestImageHost.FrameUrl}}"],
              "is_rec": false,
              "audio": false,
              "audio_type": "All",
              "off_peak": false,
              "metadata": { "seed": 0, "resolution": "1080p", "bgm": false, "movement_amplitude": "auto" }
            }
            """);
        Assert.True(JsonNode.DeepEquals(expected, received.Body), $"Wire body was {received.Body?.ToJsonString()}");
    }

    [Fact]
    public async Task Submit_under_a_span_sends_no_trace_context_to_modelstream()
    {
        await using var harness = await ClientHarness.StartAsync();
        using var span = new System.Diagnostics.Activity("submit").SetIdFormat(System.Diagnostics.ActivityIdFormat.W3C).Start();

        await harness.Client.SubmitAsync(ClientHarness.SampleRequest());

        var received = Assert.Single(harness.Simulator.Requests);
        Assert.DoesNotContain(received.Headers.Keys, name =>
            name.Equals("traceparent", StringComparison.OrdinalIgnoreCase) || name.Equals("tracestate", StringComparison.OrdinalIgnoreCase)
            || name.Equals("Request-Id", StringComparison.OrdinalIgnoreCase) || name.Equals("baggage", StringComparison.OrdinalIgnoreCase));
        Assert.Same(span, System.Diagnostics.Activity.Current); // the call neither ends nor replaces the caller's span
    }

    [Fact]
    public async Task Request_without_fields_or_metadata_sends_only_model_and_images()
    {
        await using var harness = await ClientHarness.StartAsync();

        await harness.Client.SubmitAsync(ClientHarness.SampleRequest());

        var body = Assert.Single(harness.Simulator.Requests).Body;
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse($$"""{"model":"viduq2-pro-fast","images":["{{TestImageHost.FrameUrl}}"]}"""),
            body), body?.ToJsonString());
    }

    [Fact]
    public async Task Submit_sends_the_bearer_key_and_correlation_id_and_the_request_log_omits_the_key()
    {
        // The simulator accepts only this exact key, so a 200 proves the Bearer header carried it.
        await using var harness = await ClientHarness.StartAsync(requiredApiKey: ClientHarness.ApiKey);

        await harness.Client.SubmitAsync(ClientHarness.SampleRequest(), correlationId: "blob-7f3e/attempt-1");

        var received = Assert.Single(harness.Simulator.Requests);
        Assert.Equal("blob-7f3e/attempt-1", received.Headers["X-Correlation-Id"]);
        Assert.False(received.Headers.ContainsKey("Authorization"));
        Assert.DoesNotContain(received.Headers.Values, value => value.Contains(ClientHarness.ApiKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Submit_without_a_correlation_id_sends_no_correlation_header()
    {
        await using var harness = await ClientHarness.StartAsync();

        await harness.Client.SubmitAsync(ClientHarness.SampleRequest());

        Assert.False(Assert.Single(harness.Simulator.Requests).Headers.ContainsKey("X-Correlation-Id"));
    }

    [Theory]
    [InlineData("line\nbreak")]
    [InlineData("naïve-été")]
    [InlineData("tab\there")]
    public async Task A_correlation_id_that_cannot_travel_as_a_header_is_refused_before_anything_is_sent(string correlationId)
    {
        await using var harness = await ClientHarness.StartAsync();

        // An ArgumentException, not a ModelStreamException: nothing left, so nothing is ambiguous.
        await Assert.ThrowsAsync<ArgumentException>(() => harness.Client.SubmitAsync(ClientHarness.SampleRequest(), correlationId));

        Assert.Empty(harness.Simulator.Requests);
    }

    [Theory]
    [InlineData("model")]
    [InlineData("images")]
    [InlineData("metadata")]
    public async Task Fields_repeating_a_typed_property_are_refused_before_anything_is_sent(string name)
    {
        await using var harness = await ClientHarness.StartAsync();
        var request = ClientHarness.SampleRequest() with { Fields = new JsonObject { [name] = "x" } };

        await Assert.ThrowsAsync<ArgumentException>(() => harness.Client.SubmitAsync(request));

        Assert.Equal(0, harness.Simulator.PostCount);
    }

    [Fact]
    public async Task Correlation_id_spanning_lines_is_refused_before_anything_is_sent()
    {
        await using var harness = await ClientHarness.StartAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => harness.Client.SubmitAsync(ClientHarness.SampleRequest(), "a\r\nX-Injected: 1"));

        Assert.Equal(0, harness.Simulator.PostCount);
    }

    [Theory]
    [InlineData("""{"task_id":"abcd1234efgh","status":"queued"}""", "abcd1234efgh", "queued")]
    [InlineData("""{"id":"vid_1","object":"video","model":"m","status":"queued","progress":0,"created_at":1}""", "vid_1", "queued")]
    [InlineData("""{"id":"vid_1","task_id":"abcd1234efgh","status":"in_progress"}""", "abcd1234efgh", "in_progress")]
    [InlineData("""{"task_id":"abcd1234efgh"}""", "abcd1234efgh", "unknown")]
    public void Success_body_reads_task_id_then_falls_back_to_id(string body, string taskId, string status)
    {
        var result = ModelStreamClient.ReadSubmitResult(body, out _);

        Assert.Equal(new VideoGenerationResult(taskId, status), result);
    }

    [Theory]
    [InlineData("{}", "no task id")]
    [InlineData("""{"task_id":"","status":"queued"}""", "no task id")]
    [InlineData("[]", "no task id")]
    [InlineData("<html>ok</html>", "not JSON")]
    [InlineData("", "not JSON")]
    public void Success_body_without_a_task_id_is_not_a_result(string body, string problem)
    {
        Assert.Null(ModelStreamClient.ReadSubmitResult(body, out var reported));
        Assert.Contains(problem, reported, StringComparison.Ordinal);
    }
}
