using Azure.Core;
using Azure.Core.Pipeline;

namespace StartFrame.Benchmarks;

/// <summary>
/// An Azure SDK pipeline policy on every storage client of the core (and of the naive baseline) that counts each
/// request sent. It sits per retry, so a retried request counts again — storage bills every attempt.
/// Counting alone allocates nothing (it runs while allocations are measured); <see cref="Detailed"/> also keeps
/// each request's method, path, range and status, for the per-operation breakdown of P1.
/// </summary>
internal sealed class StorageRequestCounter : HttpPipelinePolicy
{
    private readonly Lock _gate = new();
    private readonly List<StorageRequest> _requests = [];
    private long _count;
    private volatile bool _detailed;

    /// <summary>Every request sent since the start (monotonic; subtract two readings).</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Whether each request is also kept for <see cref="TakeRequests"/>.</summary>
    public bool Detailed
    {
        get => _detailed;
        set => _detailed = value;
    }

    /// <summary>The requests kept since the last call, oldest first.</summary>
    public IReadOnlyList<StorageRequest> TakeRequests()
    {
        lock (_gate)
        {
            var taken = _requests.ToList();
            _requests.Clear();
            return taken;
        }
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Interlocked.Increment(ref _count);
        if (!_detailed)
        {
            ProcessNext(message, pipeline);
            return;
        }

        try
        {
            ProcessNext(message, pipeline);
        }
        finally
        {
            Keep(message);
        }
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Interlocked.Increment(ref _count);

        // No async state machine unless details are wanted: the counter must not show in P2's allocations.
        return _detailed ? ProcessAndKeepAsync(message, pipeline) : ProcessNextAsync(message, pipeline);
    }

    private async ValueTask ProcessAndKeepAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        try
        {
            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        }
        finally
        {
            Keep(message);
        }
    }

    private void Keep(HttpMessage message)
    {
        var request = message.Request;
        var range = request.Headers.TryGetValue("x-ms-range", out var msRange) ? msRange
            : request.Headers.TryGetValue("Range", out var plainRange) ? plainRange
            : null;
        var kept = new StorageRequest(
            request.Method.Method,
            request.Uri.Port,
            Uri.UnescapeDataString(request.Uri.Path),
            range,
            message.HasResponse ? message.Response.Status : 0);
        lock (_gate)
        {
            _requests.Add(kept);
        }
    }
}
