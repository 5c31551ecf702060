using Microsoft.Extensions.DependencyInjection;
using ModelStream.Client;
using Xunit.Abstractions;

namespace ModelStream.Tests;

/// <summary>
/// Every answer body is read as a stream up to <see cref="ModelStreamClientOptions.MaxResponseBytes"/> and no further:
/// a larger one is an unreadable answer, and the connection is dropped rather than drained.
/// </summary>
public sealed class ClientBoundsTests(ITestOutputHelper output)
{
    private const int OneMiB = 1024 * 1024;
    private const long Huge = 256L * OneMiB;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_huge_poll_answer_is_refused_after_the_bound_and_the_connection_is_dropped(bool chunked)
    {
        await using var server = await HugeAnswerServer.StartAsync(Huge, chunked: chunked);
        var counter = new ReadCountingHandler();
        await using var services = Services(server, counter);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        var failure = await Record.ExceptionAsync(() => Client(services).GetTaskAsync("abcd1234efgh"));

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var refused = Assert.IsType<ModelStreamException>(failure);
        await server.Dropped.WaitAsync(TimeSpan.FromSeconds(30)); // times out only when the client read the answer to its end
        var (written, _) = await server.Answered.WaitAsync(TimeSpan.FromSeconds(30));
        output.WriteLine($"client read {counter.BytesRead:N0} bytes, allocated {allocated:N0} bytes; server handed Kestrel {written:N0} of {Huge:N0} bytes before the connection dropped");
        Assert.Equal(ModelStreamFailureKind.Transient, refused.Kind);
        Assert.Equal(200, refused.Status);
        Assert.Equal("ModelStream answered a poll with 200 but its body is larger than the 1,048,576 bytes allowed (ModelStream:MaxResponseBytes); try again later.", refused.Message);
        // With a Content-Length over the bound nothing is read; without one, reading stops one chunk past it.
        Assert.InRange(counter.BytesRead, chunked ? OneMiB + 1 : 0, chunked ? OneMiB + HugeAnswerServer.WriteChunk : 0);
    }

    [Fact]
    public async Task A_huge_submit_answer_is_ambiguous_and_never_resent()
    {
        await using var server = await HugeAnswerServer.StartAsync(Huge, chunked: true);
        var counter = new ReadCountingHandler();
        await using var services = Services(server, counter);

        var failure = await Assert.ThrowsAsync<ModelStreamException>(() => Client(services).SubmitAsync(ClientHarness.SampleRequest()));

        Assert.Equal(ModelStreamFailureKind.Ambiguous, failure.Kind);
        Assert.Equal(200, failure.Status);
        Assert.Equal("ModelStream answered 200 but its body is larger than the 1,048,576 bytes allowed (ModelStream:MaxResponseBytes); it may have been accepted, so look for the task before re-sending.", failure.Message);
        Assert.Equal(1, server.Requests);
        Assert.InRange(counter.BytesRead, OneMiB + 1, OneMiB + HugeAnswerServer.WriteChunk);
    }

    [Theory]
    [InlineData(400, ModelStreamFailureKind.Permanent)]
    [InlineData(500, ModelStreamFailureKind.Ambiguous)]
    public async Task A_huge_error_answer_is_classified_by_its_status_without_reading_it_whole(int status, ModelStreamFailureKind kind)
    {
        await using var server = await HugeAnswerServer.StartAsync(Huge, status, chunked: true);
        var counter = new ReadCountingHandler();
        await using var services = Services(server, counter);

        var failure = await Assert.ThrowsAsync<ModelStreamException>(() => Client(services).SubmitAsync(ClientHarness.SampleRequest()));

        Assert.Equal(kind, failure.Kind);
        Assert.Equal(status, failure.Status);
        Assert.Null(failure.ErrorCode);
        Assert.Null(failure.ServiceMessage);
        Assert.InRange(counter.BytesRead, OneMiB + 1, OneMiB + HugeAnswerServer.WriteChunk);
    }

    [Theory]
    [InlineData(4096, 4096, true, false)]
    [InlineData(4096, 4097, false, false)]
    [InlineData(4096, 4096, true, true)]
    [InlineData(4096, 4097, false, true)]
    public async Task An_answer_of_exactly_the_bound_is_read_and_one_byte_more_is_not(int bound, int length, bool read, bool chunked)
    {
        await using var server = await HugeAnswerServer.StartAsync(length, chunked: chunked);
        await using var services = Services(server, new ReadCountingHandler(), bound);

        var failure = await Record.ExceptionAsync(() => Client(services).GetTaskAsync("abcd1234efgh"));

        if (read)
        {
            Assert.Null(failure);
        }
        else
        {
            Assert.Equal(ModelStreamFailureKind.Transient, Assert.IsType<ModelStreamException>(failure).Kind);
        }
    }

    [Fact]
    public void The_default_bound_is_one_mebibyte()
    {
        Assert.Equal(OneMiB, new ModelStreamClientOptions().MaxResponseBytes);
    }

    private static ServiceProvider Services(HugeAnswerServer server, ReadCountingHandler counter, int? maxResponseBytes = null)
    {
        var settings = new Dictionary<string, string?>
        {
                ["ModelStream:BaseUrl"] = server.BaseAddress.ToString(),
                ["ModelStream:ApiKey"] = ClientHarness.ApiKey,
                ["ModelStream:MaxRetries"] = "2",
                ["ModelStream:RetryBaseDelay"] = "00:00:00.001",
                ["ModelStream:AttemptTimeout"] = "00:00:30",
        };
        if (maxResponseBytes is { } bound)
        {
            settings["ModelStream:MaxResponseBytes"] = bound.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return ClientHarness.BuildServices(settings, client => client.AddHttpMessageHandler(() => counter));
    }

    private static ModelStreamClient Client(ServiceProvider services) => services.GetRequiredService<ModelStreamClient>();
}
