using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using ModelStream.Client;
using ModelStream.Simulator;

namespace ModelStream.Tests;

/// <summary>
/// A task's life in the simulator on a fake clock: queued, in progress with its progress, succeeded with a signed result
/// URL serving a real MP4 until it expires; and the faults that end it otherwise.
/// </summary>
public sealed class SimulatorLifecycleTests
{
    private static readonly string ValidBody = $$"""{"model":"viduq2-pro-fast","images":["{{TestImageHost.FrameUrl}}"]}""";
    private static readonly TimeSpan Generation = TimeSpan.FromSeconds(100);
    private static readonly HttpClient Http = new();

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Task_moves_from_queued_through_in_progress_to_completed_over_the_generation_time()
    {
        await using var simulator = await StartAsync();
        var taskId = await SubmitAsync(simulator);

        var atStart = await PollAsync(simulator, taskId);
        _clock.Advance(TimeSpan.FromSeconds(55));
        var halfway = await PollAsync(simulator, taskId);
        _clock.Advance(TimeSpan.FromSeconds(45));
        var done = await PollAsync(simulator, taskId);

        Assert.Equal(("queued", 0, (string?)null), (Text(atStart["status"]), Number(atStart["progress"]), UrlOf(atStart)));
        Assert.Equal("in_progress", Text(halfway["status"]));
        Assert.Equal(50, Number(halfway["progress"]));
        Assert.Equal("completed", Text(done["status"]));
        Assert.Equal(100, Number(done["progress"]));
        Assert.StartsWith(simulator.BaseAddress + "_simulator/videos/" + taskId + ".mp4?se=", UrlOf(done), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Result_url_serves_the_sample_mp4_until_it_expires_then_answers_403()
    {
        await using var simulator = await StartAsync();
        var url = await FinishedUrlAsync(simulator, await SubmitAsync(simulator));

        using var fresh = await Http.GetAsync(url);
        var bytes = await fresh.Content.ReadAsByteArrayAsync();
        _clock.Advance(TimeSpan.FromHours(24));
        using var expired = await Http.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal("video/mp4", fresh.Content.Headers.ContentType!.MediaType);
        Assert.Equal(ModelStreamSimulator.SampleVideoBytes.ToArray(), bytes);
        Assert.Equal("ftyp", Encoding.ASCII.GetString(bytes, 4, 4));
        Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
        Assert.Equal(1, simulator.VideosServed);
    }

    [Fact]
    public async Task Result_url_with_a_stretched_expiry_is_refused()
    {
        await using var simulator = await StartAsync();
        var url = await FinishedUrlAsync(simulator, await SubmitAsync(simulator));
        var stretched = System.Text.RegularExpressions.Regex.Replace(url, "se=[0-9]+", "se=99999999999");

        using var response = await Http.GetAsync(stretched);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Fail_generation_fault_ends_the_next_task_failed_with_its_reason_and_no_url()
    {
        await using var simulator = await StartAsync();
        simulator.AddFaults(new SimulatedFault { FailGeneration = "the prompt breaks the content policy" });
        var failing = await SubmitAsync(simulator);
        var healthy = await SubmitAsync(simulator);
        _clock.Advance(Generation);

        var failed = await PollAsync(simulator, failing);
        var succeeded = await PollAsync(simulator, healthy);

        Assert.Equal("failed", Text(failed["status"]));
        Assert.Equal("the prompt breaks the content policy", Text(failed["error"]!["message"]));
        Assert.Null(UrlOf(failed));
        Assert.Equal("completed", Text(succeeded["status"]));
    }

    [Fact]
    public async Task Expire_result_fault_gives_the_next_task_a_url_that_is_already_expired()
    {
        await using var simulator = await StartAsync();
        simulator.AddFaults(new SimulatedFault { ExpireResult = true });
        var url = await FinishedUrlAsync(simulator, await SubmitAsync(simulator));

        using var response = await Http.GetAsync(url);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("expired", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Poll_faults_answer_polls_and_leave_submits_alone()
    {
        await using var simulator = await StartAsync();
        simulator.AddFaults(new SimulatedFault { On = SimulatedFaultTarget.Poll, Status = 503 });
        var taskId = await SubmitAsync(simulator);

        using var faulted = await Http.SendAsync(PollRequest(simulator, taskId));
        using var next = await Http.SendAsync(PollRequest(simulator, taskId));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, faulted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task Unknown_task_fault_on_a_poll_answers_task_not_exist_for_a_task_it_issued()
    {
        await using var simulator = await StartAsync();
        var taskId = await SubmitAsync(simulator);
        simulator.AddFaults(new SimulatedFault { On = SimulatedFaultTarget.Poll, Status = 400, Code = "task_not_exist", Param = "task_id" });

        using var response = await Http.SendAsync(PollRequest(simulator, taskId));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("task_not_exist", Text(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["code"]));
    }

    [Fact]
    public async Task Video_fault_cut_after_bytes_drops_the_connection_mid_body_then_the_next_download_is_whole()
    {
        await using var simulator = await StartAsync();
        var url = await FinishedUrlAsync(simulator, await SubmitAsync(simulator));
        simulator.AddFaults(new SimulatedFault { On = SimulatedFaultTarget.Video, CutAfterBytes = 1000 });

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => Http.GetByteArrayAsync(url));
        var whole = await Http.GetByteArrayAsync(url);

        Assert.Equal(ModelStreamSimulator.SampleVideoBytes.Length, whole.Length);
    }

    [Fact]
    public async Task Video_of_a_requested_length_is_the_sample_followed_by_one_free_box()
    {
        await using var simulator = await StartAsync(new SimulatorOptions { GenerationTime = Generation, TimeProvider = _clock, VideoLength = 1_000_000 });
        var url = await FinishedUrlAsync(simulator, await SubmitAsync(simulator));

        var bytes = await Http.GetByteArrayAsync(url);

        var sample = ModelStreamSimulator.SampleVideoBytes.Length;
        Assert.Equal(1_000_000, bytes.Length);
        Assert.Equal(ModelStreamSimulator.SampleVideoBytes.ToArray(), bytes[..sample]);
        Assert.Equal((uint)(1_000_000 - sample), BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(sample)));
        Assert.Equal("free", Encoding.ASCII.GetString(bytes, sample + 4, 4));
    }

    [Theory]
    [InlineData(SimulatedPollShape.OpenAi)]
    [InlineData(SimulatedPollShape.Wrapper)]
    [InlineData(SimulatedPollShape.Flat)]
    public async Task The_client_reads_every_poll_shape_the_simulator_answers(SimulatedPollShape shape)
    {
        await using var simulator = await StartAsync(new SimulatorOptions { GenerationTime = Generation, TimeProvider = _clock, PollShape = shape, RequiredApiKey = ClientHarness.ApiKey });
        await using var services = ClientHarness.BuildServices(new Dictionary<string, string?>
        {
            ["ModelStream:BaseUrl"] = simulator.BaseAddress.ToString(),
            ["ModelStream:ApiKey"] = ClientHarness.ApiKey,
        });
        var client = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<ModelStreamClient>(services);
        var submitted = await client.SubmitAsync(ClientHarness.SampleRequest());

        _clock.Advance(Generation / 2);
        var running = await client.GetTaskAsync(submitted.TaskId);
        _clock.Advance(Generation);
        var done = await client.GetTaskAsync(submitted.TaskId);

        Assert.Equal(VideoTaskStatus.InProgress, running.Status);
        Assert.Equal(VideoTaskStatus.Completed, done.Status);
        Assert.Equal(ModelStreamSimulator.SampleVideoBytes.ToArray(), await Http.GetByteArrayAsync(done.ResultUrl));
    }

    [Fact]
    public async Task Without_a_generation_time_a_task_stays_queued()
    {
        await using var simulator = await ModelStreamSimulator.StartAsync(new SimulatorOptions { TimeProvider = _clock });
        var taskId = await SubmitAsync(simulator);
        _clock.Advance(TimeSpan.FromDays(30));

        Assert.Equal("queued", Text((await PollAsync(simulator, taskId))["status"]));
    }

    private Task<ModelStreamSimulator> StartAsync(SimulatorOptions? options = null) =>
        ModelStreamSimulator.StartAsync(options ?? new SimulatorOptions { GenerationTime = Generation, TimeProvider = _clock });

    private static async Task<string> SubmitAsync(ModelStreamSimulator simulator)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(simulator.BaseAddress, "v1/video/generations"))
        {
            Content = new StringContent(ValidBody, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sk-lifecycle");
        using var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return Text(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["task_id"])!;
    }

    private async Task<string> FinishedUrlAsync(ModelStreamSimulator simulator, string taskId)
    {
        _clock.Advance(Generation);
        return UrlOf(await PollAsync(simulator, taskId)) ?? throw new InvalidOperationException("The finished task has no URL.");
    }

    private static async Task<JsonObject> PollAsync(ModelStreamSimulator simulator, string taskId)
    {
        using var response = await Http.SendAsync(PollRequest(simulator, taskId));
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    private static HttpRequestMessage PollRequest(ModelStreamSimulator simulator, string taskId)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(simulator.BaseAddress, "v1/video/generations/" + taskId));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sk-lifecycle");
        return request;
    }

    private static string? UrlOf(JsonObject poll) => poll["metadata"] is JsonObject metadata ? Text(metadata["url"]) : null;

    private static string? Text(JsonNode? node) => node?.GetValue<string>();

    private static int Number(JsonNode? node) => node!.GetValue<int>();
}
