using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ModelStream.Client;
using ModelStream.Simulator;

namespace ModelStream.Tests;

/// <summary>Only answers that prove nothing was processed are retried; the budget and Retry-After bound the waiting.</summary>
public sealed class ClientRetryTests
{
    [Fact]
    public async Task Rate_limit_is_retried_after_the_retry_after_wait_and_yields_one_result()
    {
        await using var harness = await ClientHarness.StartAsync();
        harness.Simulator.AddFaults(new SimulatedFault { Status = 429, RetryAfter = 1 });
        var clock = Stopwatch.StartNew();

        var result = await harness.Client.SubmitAsync(ClientHarness.SampleRequest());

        // RetryBaseDelay is 1 ms, so a wait of about a second can only come from Retry-After.
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(900), $"retried after {clock.Elapsed}");
        Assert.Matches("^[a-z0-9]{12}$", result.TaskId);
        Assert.Equal(2, harness.Simulator.PostCount);
        Assert.Equal(harness.Simulator.Requests[0].Body!.ToJsonString(), harness.Simulator.Requests[1].Body!.ToJsonString());
    }

    [Fact]
    public async Task A_submit_that_waits_out_429s_itself_gets_the_first_429_at_once()
    {
        await using var harness = await ClientHarness.StartAsync();
        harness.Simulator.AddFaults(new SimulatedFault { Status = 429, RetryAfter = 7, Times = 0 });

        var failure = await Assert.ThrowsAsync<ModelStreamException>(() => harness.Client.SubmitAsync(ClientHarness.SampleRequest(), null, retryThrottled: false, CancellationToken.None));

        Assert.Equal(429, failure.Status);
        Assert.Equal(TimeSpan.FromSeconds(7), failure.RetryAfter);
        Assert.Equal(1, harness.Simulator.PostCount);
    }

    [Fact]
    public async Task A_submit_that_waits_out_429s_itself_still_retries_a_503()
    {
        await using var harness = await ClientHarness.StartAsync();
        harness.Simulator.AddFaults(new SimulatedFault { Status = 503 });

        var result = await harness.Client.SubmitAsync(ClientHarness.SampleRequest(), null, retryThrottled: false, CancellationToken.None);

        Assert.Equal("queued", result.Status);
        Assert.Equal(2, harness.Simulator.PostCount);
    }

    [Fact]
    public async Task Unavailable_is_retried_and_then_succeeds()
    {
        await using var harness = await ClientHarness.StartAsync();
        harness.Simulator.AddFaults(new SimulatedFault { Status = 503 });

        var result = await harness.Client.SubmitAsync(ClientHarness.SampleRequest());

        Assert.Equal("queued", result.Status);
        Assert.Equal(2, harness.Simulator.PostCount);
    }

    [Fact]
    public async Task Rate_limit_past_the_retry_budget_is_transient_and_carries_retry_after()
    {
        await using var harness = await ClientHarness.StartAsync();
        harness.Simulator.AddFaults(new SimulatedFault { Status = 429, RetryAfter = 0, Times = 0 });

        var failure = await Assert.ThrowsAsync<ModelStreamException>(() => harness.Client.SubmitAsync(ClientHarness.SampleRequest()));

        Assert.Equal(ModelStreamFailureKind.Transient, failure.Kind);
        Assert.Equal(429, failure.Status);
        Assert.Equal("rate_limit_exceeded", failure.ErrorCode);
        Assert.Equal(TimeSpan.Zero, failure.RetryAfter);
        Assert.Equal(3, harness.Simulator.PostCount); // the first attempt and MaxRetries = 2
    }

    [Fact]
    public async Task Retry_after_longer_than_the_max_retry_delay_ends_retrying_at_once()
    {
        await using var harness = await ClientHarness.StartAsync();
        harness.Simulator.AddFaults(new SimulatedFault { Status = 429, RetryAfter = 120, Times = 0 });

        var failure = await Assert.ThrowsAsync<ModelStreamException>(() => harness.Client.SubmitAsync(ClientHarness.SampleRequest()));

        Assert.Equal(ModelStreamFailureKind.Transient, failure.Kind);
        Assert.Equal(TimeSpan.FromSeconds(120), failure.RetryAfter);
        Assert.Equal(1, harness.Simulator.PostCount);
        Assert.StartsWith("ModelStream is rate limiting requests (429 rate_limit_exceeded); the request was not processed, retry after 120s", failure.Message);
    }

    [Fact]
    public async Task Unavailable_without_a_body_past_the_budget_is_transient_without_service_details()
    {
        await using var harness = await ClientHarness.StartAsync();
        harness.Simulator.AddFaults(new SimulatedFault { Status = 503, Body = false, Times = 0 });

        var failure = await Assert.ThrowsAsync<ModelStreamException>(() => harness.Client.SubmitAsync(ClientHarness.SampleRequest()));

        Assert.Equal(ModelStreamFailureKind.Transient, failure.Kind);
        Assert.Equal(503, failure.Status);
        Assert.Null(failure.ErrorCode);
        Assert.Null(failure.RetryAfter);
        Assert.Equal(3, harness.Simulator.PostCount);
        Assert.Equal("ModelStream is unavailable (503); the request was not processed, try again later", failure.Message);
    }

    [Fact]
    public async Task With_max_retries_zero_a_rate_limit_is_not_retried()
    {
        await using var harness = await ClientHarness.StartAsync(settings => settings["ModelStream:MaxRetries"] = "0");
        harness.Simulator.AddFaults(new SimulatedFault { Status = 429 });

        var failure = await Assert.ThrowsAsync<ModelStreamException>(() => harness.Client.SubmitAsync(ClientHarness.SampleRequest()));

        Assert.Equal(ModelStreamFailureKind.Transient, failure.Kind);
        Assert.Equal(1, harness.Simulator.PostCount);
    }

    [Fact]
    public async Task Refused_connection_is_transient_because_nothing_was_sent()
    {
        await using var harness = await ClientHarness.StartAsync(baseUrl: ClosedLoopbackPort());

        var failure = await Assert.ThrowsAsync<ModelStreamException>(() => harness.Client.SubmitAsync(ClientHarness.SampleRequest()));

        Assert.Equal(ModelStreamFailureKind.Transient, failure.Kind);
        Assert.Equal(0, failure.Status);
        var transport = Assert.IsType<HttpRequestException>(failure.InnerException);
        Assert.Equal(HttpRequestError.ConnectionError, transport.HttpRequestError);
        Assert.StartsWith("Could not connect to ModelStream at http://127.0.0.1:", failure.Message);
        Assert.Equal(3, harness.Logs.GetSnapshot().Count(record => record.Id.Name == "ModelStreamNoAnswer")); // tried, then retried twice
        Assert.DoesNotContain(ClientHarness.ApiKey, failure.Message, StringComparison.Ordinal);
    }

    /// <summary>A loopback port nobody listens on: bound to learn a free number, then released.</summary>
    private static Uri ClosedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }
}
