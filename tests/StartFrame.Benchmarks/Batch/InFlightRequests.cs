using Azure.Core;
using Azure.Core.Pipeline;

namespace StartFrame.Benchmarks.Batch;

/// <summary>
/// Counts the requests the worker instances have in flight — to Azurite (a pipeline policy on every Azure client) and
/// over HTTP (a handler on ModelStream's client and the video download's) — and every start and end of a request or a
/// delivery (<see cref="Epoch"/>). Nothing in flight, nothing queued on the thread pool and no start or end between
/// looks tells the P4 driver that every delivery is waiting on the fake clock, and moving it is safe.
/// </summary>
internal sealed class InFlightRequests : HttpPipelinePolicy
{
    private int _count;
    private long _epoch;

    public int Count => Volatile.Read(ref _count);

    /// <summary>Grows at every start and end of a request or a delivery: unchanged between two looks, nothing moved.</summary>
    public long Epoch => Interlocked.Read(ref _epoch);

    /// <summary>True when no request is in flight and the thread pool has nothing queued.</summary>
    public bool NothingInFlight() => Count == 0 && ThreadPool.PendingWorkItemCount == 0;

    /// <summary>Notes the start or end of a delivery.</summary>
    public void Touch() => Interlocked.Increment(ref _epoch);

    private void Enter()
    {
        Interlocked.Increment(ref _epoch);
        Interlocked.Increment(ref _count);
    }

    private void Exit()
    {
        Interlocked.Decrement(ref _count);
        Interlocked.Increment(ref _epoch);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Enter();
        try
        {
            ProcessNext(message, pipeline);
        }
        finally
        {
            Exit();
        }
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Enter();
        try
        {
            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>A handler for an HTTP client that counts its requests here until their response headers are in.</summary>
    public DelegatingHandler Handler() => new Counting(this);

    private sealed class Counting(InFlightRequests owner) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            owner.Enter();
            try
            {
                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                owner.Exit();
            }
        }
    }
}
