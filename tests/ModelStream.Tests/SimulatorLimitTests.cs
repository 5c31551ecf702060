using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using ModelStream.Simulator;

namespace ModelStream.Tests;

/// <summary>The account's limits, as ModelStream enforces them: unfinished tasks and submits per second, each a 429 with Retry-After.</summary>
public sealed class SimulatorLimitTests
{
    private static readonly string ValidBody = $$"""{"model":"viduq2-pro-fast","images":["{{TestImageHost.FrameUrl}}"]}""";
    private static readonly TimeSpan Generation = TimeSpan.FromSeconds(100);
    private static readonly HttpClient Http = new();

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task A_submit_beyond_the_unfinished_task_limit_is_429_until_the_first_task_finishes()
    {
        await using var simulator = await StartAsync(new SimulatorOptions { GenerationTime = Generation, TimeProvider = _clock, MaxConcurrentTasks = 2 });

        using var first = await SubmitAsync(simulator);
        _clock.Advance(TimeSpan.FromSeconds(30));
        using var second = await SubmitAsync(simulator);
        using var refused = await SubmitAsync(simulator);
        _clock.Advance(TimeSpan.FromSeconds(70)); // the first task finishes
        using var admitted = await SubmitAsync(simulator);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.OK],
            new[] { first.StatusCode, second.StatusCode, refused.StatusCode, admitted.StatusCode });
        Assert.Equal(TimeSpan.FromSeconds(70), refused.Headers.RetryAfter?.Delta); // until the first task ends
        var error = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal("rate_limit_exceeded", error["code"]!.GetValue<string>());
        Assert.Equal("rate_limit_error", error["type"]!.GetValue<string>());
        Assert.Equal("Concurrency limit reached: the account already has 2 unfinished tasks; retry after the Retry-After.", error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Submits_at_once_never_take_more_places_than_the_unfinished_task_limit()
    {
        await using var simulator = await StartAsync(new SimulatorOptions { TimeProvider = _clock, MaxConcurrentTasks = 3 });

        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(async _ =>
        {
            using var response = await SubmitAsync(simulator);
            return (int)response.StatusCode;
        }));

        Assert.Equal(3, answers.Count(status => status == 200));
        Assert.Equal(9, answers.Count(status => status == 429));
    }

    [Fact]
    public async Task A_submit_beyond_the_rate_limit_is_429_for_the_rest_of_the_second_and_uses_none_of_the_rate()
    {
        await using var simulator = await StartAsync(new SimulatorOptions { TimeProvider = _clock, RateLimit = 2 });

        var inTheFirstSecond = await StatusesAsync(simulator, 4);
        _clock.Advance(TimeSpan.FromMilliseconds(999));
        var justBeforeItEnds = await StatusesAsync(simulator, 1);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var inTheNextSecond = await StatusesAsync(simulator, 3);

        Assert.Equal([200, 200, 429, 429], inTheFirstSecond);
        Assert.Equal([429], justBeforeItEnds);
        Assert.Equal([200, 200, 429], inTheNextSecond);
        using var refused = await SubmitAsync(simulator);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        Assert.Equal("rate_limit_exceeded", JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_request_log_counts_every_answer_by_status_in_process_and_over_http()
    {
        await using var simulator = await StartAsync(new SimulatorOptions { TimeProvider = _clock, RateLimit = 1 });
        simulator.AddFaults(new SimulatedFault { Reset = true });

        await Assert.ThrowsAsync<HttpRequestException>(() => SubmitAsync(simulator)); // dropped: no status
        var statuses = await StatusesAsync(simulator, 3);
        using var counts = await Http.GetAsync(new Uri(simulator.BaseAddress, "_simulator/requests/statuses"));
        using var log = await Http.GetAsync(new Uri(simulator.BaseAddress, "_simulator/requests"));

        Assert.Equal([200, 429, 429], statuses);
        Assert.Equal(new Dictionary<int, int> { [200] = 1, [429] = 2 }, simulator.SubmitStatuses);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"200":1,"429":2}"""), JsonNode.Parse(await counts.Content.ReadAsStringAsync())));
        var logged = JsonNode.Parse(await log.Content.ReadAsStringAsync())!.AsArray().Select(entry => entry!["status"]?.GetValue<int>());
        Assert.Equal([null, 200, 429, 429], logged);
        Assert.Equal([null, 200, 429, 429], simulator.Requests.Select(request => request.Status));
    }

    private static Task<ModelStreamSimulator> StartAsync(SimulatorOptions options) => ModelStreamSimulator.StartAsync(options);

    private static async Task<int[]> StatusesAsync(ModelStreamSimulator simulator, int count)
    {
        var statuses = new int[count];
        for (var i = 0; i < count; i++)
        {
            using var response = await SubmitAsync(simulator);
            statuses[i] = (int)response.StatusCode;
        }

        return statuses;
    }

    private static async Task<HttpResponseMessage> SubmitAsync(ModelStreamSimulator simulator)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(simulator.BaseAddress, "v1/video/generations"))
        {
            Content = new StringContent(ValidBody, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sk-limits");
        return await Http.SendAsync(request);
    }
}
