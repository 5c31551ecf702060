using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace ModelStream.Simulator;

/// <summary>
/// Everything the simulator remembers — the request log, the fault queue and the tasks it issued — behind one lock,
/// shared by the HTTP endpoints and the in-process <see cref="ModelStreamSimulator"/> API.
/// </summary>
internal sealed class SimulatorState(string? requiredApiKey)
{
    private const string TaskIdAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    private readonly Lock _gate = new();
    private readonly List<ReceivedRequest> _requests = [];
    private readonly List<PendingFault> _faults = [];
    private readonly ConcurrentDictionary<string, IssuedTask> _tasks = new(StringComparer.Ordinal);

    /// <summary>The only key accepted, or null to accept any <c>sk-</c> key.</summary>
    public string? RequiredApiKey { get; } = string.IsNullOrEmpty(requiredApiKey) ? null : requiredApiKey;

    public IReadOnlyList<ReceivedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    public int PostCount
    {
        get
        {
            lock (_gate)
            {
                return _requests.Count;
            }
        }
    }

    /// <summary>Logs a submit and takes the fault it gets, in one step, so the n-th logged submit gets the n-th fault.</summary>
    public SimulatedFault? RecordAndTakeFault(ReceivedRequest request)
    {
        lock (_gate)
        {
            _requests.Add(request);
            if (_faults.Count == 0)
            {
                return null;
            }

            var pending = _faults[0];
            if (pending.Fault.Times == 0)
            {
                return pending.Fault;
            }

            pending.Remaining--;
            if (pending.Remaining == 0)
            {
                _faults.RemoveAt(0);
            }

            return pending.Fault;
        }
    }

    public void ClearRequests()
    {
        lock (_gate)
        {
            _requests.Clear();
        }
    }

    public void AddFaults(IEnumerable<SimulatedFault> faults)
    {
        var checkedFaults = faults.Select(fault => fault.Problem() is { } problem
            ? throw new ArgumentException($"Fault {fault}: {problem}.", nameof(faults))
            : new PendingFault(fault)).ToList();
        lock (_gate)
        {
            _faults.AddRange(checkedFaults);
        }
    }

    public void ClearFaults()
    {
        lock (_gate)
        {
            _faults.Clear();
        }
    }

    /// <summary>The queued faults and how many submits each still answers (0 = until cleared).</summary>
    public IReadOnlyList<(SimulatedFault Fault, int Remaining)> PendingFaults
    {
        get
        {
            lock (_gate)
            {
                return [.. _faults.Select(pending => (pending.Fault, pending.Fault.Times == 0 ? 0 : pending.Remaining))];
            }
        }
    }

    public IssuedTask IssueTask(string model, DateTimeOffset now)
    {
        while (true)
        {
            var task = new IssuedTask(RandomNumberGenerator.GetString(TaskIdAlphabet, 12), model, now);
            if (_tasks.TryAdd(task.TaskId, task))
            {
                return task;
            }
        }
    }

    public IssuedTask? FindTask(string taskId) => _tasks.GetValueOrDefault(taskId);

    private sealed class PendingFault(SimulatedFault fault)
    {
        public SimulatedFault Fault { get; } = fault;

        public int Remaining { get; set; } = fault.Times;
    }
}

/// <summary>A task the simulator handed out.</summary>
internal sealed record IssuedTask(string TaskId, string Model, DateTimeOffset CreatedAt);
