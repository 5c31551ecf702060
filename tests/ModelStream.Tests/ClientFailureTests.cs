using ModelStream.Client;
using ModelStream.Simulator;
using Polly.Timeout;

namespace ModelStream.Tests;

/// <summary>Anything that may have been processed is reported, never re-sent; refusals are permanent and explain themselves.</summary>
public sealed class ClientFailureTests
{
    [Theory]
    [InlineData(500, "internal_server_error")]
    [InlineData(502, "bad_gateway")]
    [InlineData(504, "gateway_timeout")]
    [InlineData(408, "request_timeout")]
    public async Task Server_error_is_ambiguous_and_never_resent(int status, string code)
    {
        await using var harness = await ClientHarness.StartAsync();
        harness.Simulator.AddFaults(new SimulatedFault { Status = status, Times = 0 });

        var failure = await Assert.ThrowsAsync<ModelStreamException>(() => harness.Client.SubmitAsync(ClientHarness.SampleRequest()));

        Assert.Equal(ModelStreamFailureKind.Ambiguous, failure.Kind);
        Assert.Equal(status, failure.Status);
        Assert.Equal(code, failure.ErrorCode);
        Assert.Equal(1, harness.Simulator.PostCount);
        Assert.StartsWith($"ModelStream failed while handling the request ({status} {code}); it may have been accepted, so look for the task before re-sending: ", failure.Message);
    }

    [Fact]
    public async Task Success_status_with_a_body_that_is_not_json_is_ambiguous_and_never_resent()
    {
        await using var harness = await ClientHarness.StartAsync();
        harness.Simulator.AddFaults(new SimulatedFault { Garbage = true, Times = 0 });

        var failure = await Assert.ThrowsAsync<ModelStreamException>(() => harness.Client.SubmitAsync(ClientHarness.SampleRequest()));

        Assert.Equal(ModelStreamFailureKind.Ambiguous, failure.Kind);
        Assert.Equal(200, failure.Status);
        Assert.Equal(1, harness.Simulator.PostCount);
        Assert.Equal("ModelStream answered 200 but its body is not JSON; it may have been accepted, so look for the task before re-sending.", failure.Message);
    }

    [Fact]
    public async Task Connection_reset_after_sending_is_ambiguous_and_never_resent()
    {
        await using var harness = await ClientHarness.StartAsync();
        harness.Simulator.AddFaults(new SimulatedFault { Reset = true, Times = 0 });

        var failure = await Assert.ThrowsAsync<ModelStreamException>(() => harness.Client.SubmitAsync(ClientHarness.SampleRequest()));

        Assert.Equal(ModelStreamFailureKind.Ambiguous, failure.Kind);
        Assert.Equal(0, failure.Status);
        Assert.IsType<HttpRequestException>(failure.InnerException);
        Assert.Equal(1, harness.Simulator.PostCount);
        Assert.StartsWith("The connection to ModelStream failed after the request was sent", failure.Message);
    }

    [Fact]
    public async Task Attempt_timeout_is_ambiguous_and_never_resent()
    {
        await using var harness = await ClientHarness.StartAsync(settings => settings["ModelStream:AttemptTimeout"] = "00:00:01");
        harness.Simulator.AddFaults(new SimulatedFault { DelayMs = 30_000, Times = 0 });

        var failure = await Assert.ThrowsAsync<ModelStreamException>(() => harness.Client.SubmitAsync(ClientHarness.SampleRequest()));

        Assert.Equal(ModelStreamFailureKind.Ambiguous, failure.Kind);
        Assert.Equal(0, failure.Status);
        Assert.IsType<TimeoutRejectedException>(failure.InnerException);
        Assert.Equal(1, harness.Simulator.PostCount);
        Assert.Equal("ModelStream did not answer within 1s; it may have been accepted, so look for the task before re-sending.", failure.Message);
    }

    [Theory]
    [InlineData(400, "invalid_parameter", "duration", "duration must be between 1 and 10")]
    [InlineData(402, "insufficient_user_quota", null, "The account's quota is used up.")]
    [InlineData(403, "access_denied", null, "This key may not use this model.")]
    [InlineData(404, "not_found", null, "Not found.")]
    public async Task Refusal_is_permanent_with_the_service_error_and_never_resent(int status, string code, string? param, string message)
    {
        await using var harness = await ClientHarness.StartAsync();
        harness.Simulator.AddFaults(new SimulatedFault { Status = status, Code = code, Param = param, Message = message, Times = 0 });

        var failure = await Assert.ThrowsAsync<ModelStreamException>(() => harness.Client.SubmitAsync(ClientHarness.SampleRequest()));

        Assert.Equal(ModelStreamFailureKind.Permanent, failure.Kind);
        Assert.Equal(status, failure.Status);
        Assert.Equal(code, failure.ErrorCode);
        Assert.Equal(param, failure.Param);
        Assert.Equal(message, failure.ServiceMessage);
        Assert.NotNull(failure.ErrorType);
        Assert.Equal(1, harness.Simulator.PostCount);
    }

    [Fact]
    public async Task Quota_refusal_says_it_once()
    {
        await using var harness = await ClientHarness.StartAsync();
        harness.Simulator.AddFaults(new SimulatedFault { Status = 402 });

        var failure = await Assert.ThrowsAsync<ModelStreamException>(() => harness.Client.SubmitAsync(ClientHarness.SampleRequest()));

        Assert.Equal("ModelStream refused the request (402 insufficient_user_quota); the account's quota is used up", failure.Message);
        Assert.Equal("The account's quota is used up.", failure.ServiceMessage);
    }

    [Fact]
    public async Task Refusal_message_names_status_code_and_param_on_one_line()
    {
        await using var harness = await ClientHarness.StartAsync();
        harness.Simulator.AddFaults(new SimulatedFault { Status = 400, Code = "invalid_parameter", Param = "duration", Message = "duration must be\r\nbetween 1 and 10" });

        var failure = await Assert.ThrowsAsync<ModelStreamException>(() => harness.Client.SubmitAsync(ClientHarness.SampleRequest()));

        Assert.Equal("ModelStream refused the request (400 invalid_parameter, param 'duration'): duration must be between 1 and 10", failure.Message);
    }

    [Fact]
    public async Task Request_the_service_rejects_is_permanent_and_names_the_field()
    {
        await using var harness = await ClientHarness.StartAsync();

        var failure = await Assert.ThrowsAsync<ModelStreamException>(
            () => harness.Client.SubmitAsync(ClientHarness.SampleRequest() with { Images = [] }));

        Assert.Equal(ModelStreamFailureKind.Permanent, failure.Kind);
        Assert.Equal("images", failure.Param);
        Assert.StartsWith("ModelStream refused the request (400 invalid_parameter, param 'images'): images is required", failure.Message);
        Assert.Equal(1, harness.Simulator.PostCount);
    }

    [Fact]
    public async Task Wrong_key_is_permanent_and_the_message_never_contains_the_key()
    {
        await using var harness = await ClientHarness.StartAsync(requiredApiKey: "sk-the-right-one");

        var failure = await Assert.ThrowsAsync<ModelStreamException>(() => harness.Client.SubmitAsync(ClientHarness.SampleRequest()));

        Assert.Equal(ModelStreamFailureKind.Permanent, failure.Kind);
        Assert.Equal(401, failure.Status);
        Assert.Equal("invalid_api_key", failure.ErrorCode);
        Assert.Equal("invalid_request_error", failure.ErrorType);
        Assert.Equal("ModelStream refused the request (401 invalid_api_key); check the ModelStream:ApiKey setting: Invalid API key.", failure.Message);
        Assert.Equal(1, harness.Simulator.PostCount);
    }

    [Fact]
    public async Task Service_message_echoing_the_key_is_redacted()
    {
        await using var harness = await ClientHarness.StartAsync();
        harness.Simulator.AddFaults(new SimulatedFault { Status = 401, Message = $"Invalid token {ClientHarness.ApiKey}" });

        var failure = await Assert.ThrowsAsync<ModelStreamException>(() => harness.Client.SubmitAsync(ClientHarness.SampleRequest()));

        Assert.DoesNotContain(ClientHarness.ApiKey, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ClientHarness.ApiKey, failure.ServiceMessage, StringComparison.Ordinal);
        Assert.EndsWith("Invalid token [redacted]", failure.Message);
    }

    [Fact]
    public async Task Flat_error_shape_is_parsed_like_the_documented_one()
    {
        await using var harness = await ClientHarness.StartAsync();
        harness.Simulator.AddFaults(new SimulatedFault
        {
            Status = 403,
            Shape = SimulatedErrorShape.Flat,
            Code = "insufficient_user_quota",
            Message = "user quota is not enough",
        });

        var failure = await Assert.ThrowsAsync<ModelStreamException>(() => harness.Client.SubmitAsync(ClientHarness.SampleRequest()));

        Assert.Equal(ModelStreamFailureKind.Permanent, failure.Kind);
        Assert.Equal("insufficient_user_quota", failure.ErrorCode);
        Assert.Equal("user quota is not enough", failure.ServiceMessage);
        Assert.Equal("ModelStream refused the request (403 insufficient_user_quota): user quota is not enough", failure.Message);
    }

    [Fact]
    public async Task Caller_cancellation_before_sending_surfaces_as_operation_canceled_and_sends_nothing()
    {
        await using var harness = await ClientHarness.StartAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.Client.SubmitAsync(ClientHarness.SampleRequest(), cancellationToken: cancelled.Token));

        Assert.Equal(0, harness.Simulator.PostCount);
    }

    [Fact]
    public async Task Caller_cancellation_while_waiting_surfaces_as_operation_canceled_not_a_failure()
    {
        await using var harness = await ClientHarness.StartAsync();
        harness.Simulator.AddFaults(new SimulatedFault { DelayMs = 30_000 });
        using var caller = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        // ThrowsAny fails on a ModelStreamException: a caller's cancel must not read as a timeout (Ambiguous).
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => harness.Client.SubmitAsync(ClientHarness.SampleRequest(), cancellationToken: caller.Token));

        Assert.True(caller.IsCancellationRequested);
    }
}
