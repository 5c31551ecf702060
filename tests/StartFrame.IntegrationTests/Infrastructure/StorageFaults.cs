using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace StartFrame.IntegrationTests.Infrastructure;

/// <summary>
/// An Azure SDK pipeline policy on every storage client of the core: counts each request by operation and,
/// on request, fails the ones matching a predicate — a storage outage without mocking storage.
/// </summary>
public sealed class StorageFaults : HttpPipelinePolicy
{
    private readonly Lock _gate = new();
    private readonly List<string> _operations = [];
    private Func<HttpMessage, bool>? _fail;
    private Func<HttpMessage, bool>? _crash;

    /// <summary>Every request sent, as "METHOD path" (query dropped), with " [range]" when it asked for a byte range.</summary>
    public IReadOnlyList<string> Operations
    {
        get
        {
            lock (_gate)
            {
                return [.. _operations];
            }
        }
    }

    /// <summary>Fails every request matching <paramref name="predicate"/> with a 503 until <see cref="Heal"/>.</summary>
    public void FailWhen(Func<HttpMessage, bool> predicate) => _fail = predicate;

    /// <summary>Ends the run at the first request matching <paramref name="predicate"/>, before it is sent, as a process
    /// dying there would: an exception no code path handles. Once only.</summary>
    public void CrashWhen(Func<HttpMessage, bool> predicate) => _crash = predicate;

    /// <summary>Stops failing.</summary>
    public void Heal() => _fail = null;

    /// <summary>Forgets the counted requests.</summary>
    public void ClearLog()
    {
        lock (_gate)
        {
            _operations.Clear();
        }
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Before(message);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Before(message);
        return ProcessNextAsync(message, pipeline);
    }

    private void Before(HttpMessage message)
    {
        lock (_gate)
        {
            var range = message.Request.Headers.TryGetValue("x-ms-range", out var r) || message.Request.Headers.TryGetValue("Range", out r) ? $" [{r}]" : "";
            _operations.Add($"{message.Request.Method} {message.Request.Uri.Path}{range}");
        }

        if (_crash?.Invoke(message) == true)
        {
            _crash = null;
            throw new SimulatedCrashException($"The run died before {message.Request.Method} {message.Request.Uri.Path} (test).");
        }

        if (_fail?.Invoke(message) == true)
        {
            throw new RequestFailedException(503, "Injected storage outage (test).");
        }
    }
}

/// <summary>A process dying mid-run, as a test makes it happen (nothing catches it).</summary>
public sealed class SimulatedCrashException(string message) : Exception(message);
