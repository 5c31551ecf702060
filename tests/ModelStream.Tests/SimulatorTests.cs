using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ModelStream.Simulator;

namespace ModelStream.Tests;

/// <summary>The simulator over plain HTTP, as a person with curl would use it.</summary>
public sealed class SimulatorTests : IAsyncLifetime
{
    private static readonly string ValidBody = $$"""{"model":"viduq2-pro-fast","images":["{{TestImageHost.FrameUrl}}"]}""";

    private static readonly HttpClient Http = new();

    private ModelStreamSimulator _simulator = null!;

    public async Task InitializeAsync() => _simulator = await ModelStreamSimulator.StartAsync();

    public async Task DisposeAsync() => await _simulator.DisposeAsync();

    [Fact]
    public async Task Valid_submit_answers_a_twelve_character_task_id_queued()
    {
        using var response = await SubmitAsync(ValidBody);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await ReadJsonAsync(response);
        Assert.Matches("^[a-z0-9]{12}$", answer["task_id"]!.GetValue<string>());
        Assert.Equal("queued", answer["status"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Basic c2stYWJj")]
    [InlineData("Bearer ")]
    [InlineData("Bearer pk-123")]
    [InlineData("Bearer sk-")]
    public async Task Submit_without_an_sk_bearer_key_is_401_invalid_api_key(string? authorization)
    {
        using var response = await SubmitAsync(ValidBody, authorization);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = (await ReadJsonAsync(response))["error"]!;
        Assert.Equal("invalid_api_key", error["code"]!.GetValue<string>());
        Assert.Equal("invalid_request_error", error["type"]!.GetValue<string>());
        Assert.Null(error["param"]);
        Assert.False(string.IsNullOrEmpty(error["message"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("Bearer sk-the-key", HttpStatusCode.OK)]
    [InlineData("bearer sk-the-key", HttpStatusCode.OK)]
    [InlineData("Bearer sk-another-key", HttpStatusCode.Unauthorized)]
    [InlineData("Bearer sk-the-key-and-more", HttpStatusCode.Unauthorized)]
    public async Task Configured_key_is_the_only_one_accepted(string authorization, HttpStatusCode expected)
    {
        await using var strict = await ModelStreamSimulator.StartAsync("sk-the-key");

        using var response = await SendAsync(strict.BaseAddress, HttpMethod.Post, "/v1/video/generations", ValidBody, authorization);

        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [InlineData("not json", null)]
    [InlineData("", null)]
    [InlineData("[1,2]", null)]
    [InlineData("{}", "model")]
    [InlineData("""{"model":5,"images":["u"]}""", "model")]
    [InlineData("""{"model":"","images":["u"]}""", "model")]
    [InlineData("""{"model":"m"}""", "images")]
    [InlineData("""{"model":"m","images":[]}""", "images")]
    [InlineData("""{"model":"m","images":"u"}""", "images")]
    [InlineData("""{"model":"m","images":[1]}""", "images")]
    public async Task Malformed_submit_is_400_naming_the_field(string body, string? param)
    {
        using var response = await SubmitAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await ReadJsonAsync(response))["error"]!;
        Assert.Equal(param, error["param"]?.GetValue<string>());
        Assert.Equal("invalid_request_error", error["type"]!.GetValue<string>());
        Assert.Equal(param is null ? "invalid_request_body" : "invalid_parameter", error["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Every_submit_is_logged_before_auth_or_faults_answer()
    {
        _simulator.AddFaults(new SimulatedFault { Status = 500 });

        (await SubmitAsync(ValidBody)).Dispose();                       // answered by the fault
        (await SubmitAsync(ValidBody, authorization: null)).Dispose();  // refused by auth
        (await SubmitAsync("{}")).Dispose();                            // refused by validation

        Assert.Equal(3, _simulator.PostCount);
    }

    [Fact]
    public async Task Request_log_lists_method_path_headers_body_and_time_and_can_be_cleared()
    {
        using var json = await SubmitAsync(ValidBody);
        using var text = await SubmitAsync("plain words");
        using var log = await SendAsync(HttpMethod.Get, "/_simulator/requests", null, null);

        var entries = (await ReadJsonAsync(log)).AsArray();
        Assert.Equal(2, entries.Count);
        var first = entries[0]!.AsObject();
        Assert.Equal(["method", "path", "headers", "body", "receivedAt", "status"], first.Select(property => property.Key));
        Assert.Equal(200, first["status"]!.GetValue<int>());
        Assert.Equal("POST", first["method"]!.GetValue<string>());
        Assert.Equal("/v1/video/generations", first["path"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(ValidBody), first["body"]));
        Assert.True(DateTimeOffset.TryParse(first["receivedAt"]!.GetValue<string>(), out _));
        var headers = first["headers"]!.AsObject();
        Assert.Equal("corr-42", headers["X-Correlation-Id"]!.GetValue<string>());
        Assert.DoesNotContain(headers, header => header.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("plain words", entries[1]!["body"]!.GetValue<string>());

        using var cleared = await SendAsync(HttpMethod.Delete, "/_simulator/requests", null, null);
        Assert.Equal(HttpStatusCode.NoContent, cleared.StatusCode);
        Assert.Equal(0, _simulator.PostCount);
    }

    [Fact]
    public async Task Faults_apply_in_order_each_for_its_times_then_normal_answers_resume()
    {
        _simulator.AddFaults(new SimulatedFault { Status = 429, Times = 2 }, new SimulatedFault { Status = 503 });

        var statuses = await SubmitManyAsync(4);

        Assert.Equal([429, 429, 503, 200], statuses);
    }

    [Fact]
    public async Task Fault_with_times_zero_applies_until_cleared()
    {
        _simulator.AddFaults(new SimulatedFault { Status = 500, Times = 0 }, new SimulatedFault { Status = 402 });

        var whileQueued = await SubmitManyAsync(3);
        _simulator.ClearFaults();
        var afterClearing = await SubmitManyAsync(1);

        Assert.Equal([500, 500, 500], whileQueued);
        Assert.Equal([200], afterClearing);
    }

    [Fact]
    public async Task Faults_posted_over_http_are_queued_and_deleted_over_http()
    {
        using var queued = await PostFaultsAsync("""[{"status":402,"times":2},{"status":429,"retryAfter":7,"body":false}]""");
        Assert.Equal(HttpStatusCode.OK, queued.StatusCode);

        using var quota = await SubmitAsync(ValidBody);
        var quotaError = (await ReadJsonAsync(quota))["error"]!;
        Assert.Equal(HttpStatusCode.PaymentRequired, quota.StatusCode);
        Assert.Equal("insufficient_user_quota", quotaError["code"]!.GetValue<string>());

        using var pending = await SendAsync(HttpMethod.Get, "/_simulator/faults", null, null);
        var remaining = (await ReadJsonAsync(pending)).AsArray().Select(fault => fault!["remaining"]!.GetValue<int>());
        Assert.Equal([1, 1], remaining);

        using var deleted = await SendAsync(HttpMethod.Delete, "/_simulator/faults", null, null);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(new[] { 200 }, await SubmitManyAsync(1));
    }

    [Fact]
    public async Task Rate_limit_fault_without_body_sends_retry_after_and_an_empty_body()
    {
        _simulator.AddFaults(new SimulatedFault { Status = 429, RetryAfter = 7, Body = false });

        using var response = await SubmitAsync(ValidBody);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Flat_shape_fault_answers_code_message_data()
    {
        _simulator.AddFaults(new SimulatedFault { Status = 403, Shape = SimulatedErrorShape.Flat, Message = "model not allowed" });

        using var response = await SubmitAsync(ValidBody);

        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"code":"access_denied","message":"model not allowed","data":null}"""),
            await ReadJsonAsync(response)));
    }

    [Fact]
    public async Task Garbage_fault_answers_200_with_a_body_that_is_not_json()
    {
        _simulator.AddFaults(new SimulatedFault { Garbage = true });

        using var response = await SubmitAsync(ValidBody);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("<html>", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Reset_fault_drops_the_connection_without_an_answer()
    {
        _simulator.AddFaults(new SimulatedFault { Reset = true });

        await Assert.ThrowsAsync<HttpRequestException>(() => SubmitAsync(ValidBody));

        Assert.Equal(1, _simulator.PostCount);
    }

    [Fact]
    public async Task Delay_only_fault_answers_normally_after_the_delay()
    {
        _simulator.AddFaults(new SimulatedFault { DelayMs = 200 });
        var clock = Stopwatch.StartNew();

        using var response = await SubmitAsync(ValidBody);

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(180), $"answered after {clock.Elapsed}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("""[{"status":42}]""")]
    [InlineData("""[{"times":-1}]""")]
    [InlineData("""[{"delayMs":-5}]""")]
    [InlineData("""[{"statsu":429}]""")]
    [InlineData("not json")]
    public async Task Invalid_fault_is_refused_with_400_and_nothing_is_queued(string faults)
    {
        using var response = await PostFaultsAsync(faults);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(new[] { 200 }, await SubmitManyAsync(1));
    }

    [Fact]
    public async Task Poll_of_an_issued_task_answers_the_openai_video_shape_queued()
    {
        using var submitted = await SubmitAsync(ValidBody);
        var taskId = (await ReadJsonAsync(submitted))["task_id"]!.GetValue<string>();

        using var response = await SendAsync(HttpMethod.Get, $"/v1/video/generations/{taskId}", null, "Bearer sk-abc");

        var task = await ReadJsonAsync(response);
        Assert.Equal(taskId, task["id"]!.GetValue<string>());
        Assert.Equal(taskId, task["task_id"]!.GetValue<string>());
        Assert.Equal("video", task["object"]!.GetValue<string>());
        Assert.Equal("viduq2-pro-fast", task["model"]!.GetValue<string>());
        Assert.Equal("queued", task["status"]!.GetValue<string>());
        Assert.Equal(1, _simulator.PostCount); // polls are not submits
    }

    [Fact]
    public async Task Poll_of_an_unknown_task_is_400_task_not_exist()
    {
        using var response = await SendAsync(HttpMethod.Get, "/v1/video/generations/abcdefabcdef", null, "Bearer sk-abc");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("task_not_exist", (await ReadJsonAsync(response))["error"]!["code"]!.GetValue<string>());
    }

    private async Task<int[]> SubmitManyAsync(int count)
    {
        var statuses = new int[count];
        for (var i = 0; i < count; i++)
        {
            using var response = await SubmitAsync(ValidBody);
            statuses[i] = (int)response.StatusCode;
        }

        return statuses;
    }

    private Task<HttpResponseMessage> SubmitAsync(string body, string? authorization = "Bearer sk-abc") =>
        SendAsync(HttpMethod.Post, "/v1/video/generations", body, authorization);

    private Task<HttpResponseMessage> PostFaultsAsync(string json) =>
        SendAsync(HttpMethod.Post, "/_simulator/faults", json, null);

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? body, string? authorization) =>
        SendAsync(_simulator.BaseAddress, method, path, body, authorization);

    private static async Task<HttpResponseMessage> SendAsync(Uri server, HttpMethod method, string path, string? body, string? authorization)
    {
        using var request = new HttpRequestMessage(method, new Uri(server, path));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        request.Headers.Add("X-Correlation-Id", "corr-42");
        return await Http.SendAsync(request);
    }

    private static async Task<JsonNode> ReadJsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
}
