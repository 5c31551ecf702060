using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace ModelStream.Simulator;

/// <summary>
/// Everything the simulator remembers — the request log, the fault queues and the tasks it issued — behind one lock,
/// shared by the HTTP endpoints and the in-process <see cref="ModelStreamSimulator"/> API.
/// </summary>
internal sealed class SimulatorState : IDisposable
{
    private const string TaskIdAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    private readonly Lock _gate = new();
    private static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(1);

    private readonly List<LoggedSubmit> _requests = [];
    private readonly Queue<DateTimeOffset> _admittedAt = new();
    private int _reservedSlots;
    private readonly List<PendingFault> _faults = [];
    private readonly ConcurrentDictionary<string, IssuedTask> _tasks = new(StringComparer.Ordinal);
    private int _polls;
    private int _videosServed;

    public SimulatorState(SimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Problem() is { } problem)
        {
            throw new ArgumentException($"Simulator options: {problem}.", nameof(options));
        }

        Options = options;
        RequiredApiKey = string.IsNullOrEmpty(options.RequiredApiKey) ? null : options.RequiredApiKey;
        Renderer = new VideoRenderer(options);
    }

    /// <summary>Fetches start frames when a task is submitted.</summary>
    public ImageFetcher Images { get; } = new();

    /// <summary>Renders result videos from start frames (or, off or without ffmpeg, leaves every task to the sample).</summary>
    public VideoRenderer Renderer { get; }

    public SimulatorOptions Options { get; }

    public TimeProvider Clock => Options.TimeProvider;

    public VideoUrlSigner Signer { get; } = new();

    /// <summary>The only key accepted, or null to accept any <c>sk-</c> key.</summary>
    public string? RequiredApiKey { get; }

    public IReadOnlyList<ReceivedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests.Select(logged => logged.Request with { Status = logged.Status })];
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

    /// <summary>Polls answered (any answer, faults included).</summary>
    public int PollCount => Volatile.Read(ref _polls);

    /// <summary>Result videos sent in full.</summary>
    public int VideosServed => Volatile.Read(ref _videosServed);

    public void CountPoll() => Interlocked.Increment(ref _polls);

    public void CountVideoServed() => Interlocked.Increment(ref _videosServed);

    /// <summary>How many logged submits were answered with each status (those with no answer, a dropped connection, left out).</summary>
    public IReadOnlyDictionary<int, int> SubmitStatuses
    {
        get
        {
            lock (_gate)
            {
                return _requests.Where(logged => logged.Status is not null)
                    .GroupBy(logged => logged.Status!.Value)
                    .OrderBy(group => group.Key)
                    .ToDictionary(group => group.Key, group => group.Count());
            }
        }
    }

    /// <summary>
    /// Logs a submit and takes the fault it gets, in one step, so the n-th logged submit gets the n-th fault. The returned
    /// callback notes the status it was answered with (null: no answer, the connection was dropped).
    /// </summary>
    public (SimulatedFault? Fault, Action<int?> Answered) RecordAndTakeFault(ReceivedRequest request)
    {
        var logged = new LoggedSubmit(request);
        lock (_gate)
        {
            _requests.Add(logged);
            return (TakeFaultLocked(SimulatedFaultTarget.Submit), status =>
            {
                lock (_gate)
                {
                    logged.Status = status;
                }
            });
        }
    }

    /// <summary>
    /// Admits a submit under <see cref="SimulatorOptions.RateLimit"/>: null when it may go on (it then counts in the
    /// current second), else how long until a submit would be admitted.
    /// </summary>
    public TimeSpan? TakeRate()
    {
        if (Options.RateLimit is not { } rate)
        {
            return null;
        }

        var now = Clock.GetUtcNow();
        lock (_gate)
        {
            while (_admittedAt.Count > 0 && now - _admittedAt.Peek() >= RateWindow)
            {
                _admittedAt.Dequeue();
            }

            if (_admittedAt.Count >= rate)
            {
                return _admittedAt.Peek() + RateWindow - now;
            }

            _admittedAt.Enqueue(now);
            return null;
        }
    }

    /// <summary>
    /// Holds a place for one more unfinished task under <see cref="SimulatorOptions.MaxConcurrentTasks"/> while the submit
    /// is checked (so two submits at once cannot both take the last place). Null when a place is held — give it back with
    /// <see cref="ReleaseTaskSlot"/> once the task is issued or refused — else how long until the first unfinished task ends.
    /// </summary>
    public TimeSpan? ReserveTaskSlot()
    {
        if (Options.MaxConcurrentTasks is not { } limit)
        {
            return null;
        }

        var now = Clock.GetUtcNow();
        lock (_gate)
        {
            var unfinished = _tasks.Values.Where(task => !ViewOf(task).IsFinished).ToList();
            if (unfinished.Count + _reservedSlots < limit)
            {
                _reservedSlots++;
                return null;
            }

            // Without a generation time no task ever ends; a minute is as good a wait as any.
            if (Options.GenerationTime is not { } generation)
            {
                return TimeSpan.FromMinutes(1);
            }

            var firstEnd = unfinished.Count == 0 ? now : unfinished.Min(task => task.CreatedAt + generation);
            return firstEnd > now ? firstEnd - now : TimeSpan.Zero;
        }
    }

    /// <summary>Gives back the place <see cref="ReserveTaskSlot"/> held.</summary>
    public void ReleaseTaskSlot()
    {
        if (Options.MaxConcurrentTasks is null)
        {
            return;
        }

        lock (_gate)
        {
            _reservedSlots--;
        }
    }

    /// <summary>Takes the next fault for a poll or a video download, if one is queued.</summary>
    public SimulatedFault? TakeFault(SimulatedFaultTarget target)
    {
        lock (_gate)
        {
            return TakeFaultLocked(target);
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

    /// <summary>The queued faults and how many requests each still answers (0 = until cleared).</summary>
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

    public IssuedTask IssueTask(string model, SimulatedFault? traits, int durationSeconds, int height)
    {
        if (traits?.TaskId is { } chosen)
        {
            var named = new IssuedTask(chosen, model, Clock.GetUtcNow(), traits.FailGeneration, traits.ExpireResult, durationSeconds, height, traits.ResultUrl);
            _tasks[chosen] = named;
            return named;
        }

        while (true)
        {
            var task = new IssuedTask(RandomNumberGenerator.GetString(TaskIdAlphabet, 12), model, Clock.GetUtcNow(), traits?.FailGeneration, traits?.ExpireResult ?? false, durationSeconds, height, traits?.ResultUrl);
            if (_tasks.TryAdd(task.TaskId, task))
            {
                return task;
            }
        }
    }

    public IssuedTask? FindTask(string taskId) => _tasks.GetValueOrDefault(taskId);

    /// <summary>Where <paramref name="task"/> stands now, by the simulator's clock.</summary>
    /// <remarks>A task whose time is up but whose video is still being rendered stays in progress (99 %): a task never
    /// reports succeeded before its video can be served. A failed render fails the task with rendering on; with auto the
    /// task serves the sample instead.</remarks>
    public TaskView ViewOf(IssuedTask task)
    {
        var view = TaskView.Of(task, Options.GenerationTime, Clock.GetUtcNow());
        if (view.Status != TaskView.Succeeded || Renderer.RenderOf(task.TaskId) is not { } render)
        {
            return view;
        }

        if (!render.IsCompleted)
        {
            return new TaskView(TaskView.InProgress, 99, null);
        }

        return render.IsCompletedSuccessfully && render.Result.Problem is { } problem && Renderer.Mode == SimulatedRender.On
            ? new TaskView(TaskView.Failed, 100, view.FinishedAt, "The simulator could not render the video: " + problem)
            : view;
    }

    /// <summary>The rendered video of a task, when it has one that rendered (else it serves the sample).</summary>
    public RenderedVideo? RenderedVideoOf(IssuedTask task) =>
        Renderer.RenderOf(task.TaskId) is { IsCompletedSuccessfully: true, Result: { Path: not null } video } ? video : null;

    public void Dispose()
    {
        Renderer.Dispose();
        Images.Dispose();
    }

    /// <summary>When the result URL of a task that finished at <paramref name="finishedAt"/> expires.</summary>
    public DateTimeOffset ResultExpiry(IssuedTask task, DateTimeOffset finishedAt) =>
        task.ResultExpired ? finishedAt - TimeSpan.FromSeconds(1) : finishedAt + Options.ResultUrlLifetime;

    private SimulatedFault? TakeFaultLocked(SimulatedFaultTarget target)
    {
        var index = _faults.FindIndex(pending => pending.Fault.On == target);
        if (index < 0)
        {
            return null;
        }

        var pending = _faults[index];
        if (pending.Fault.Times == 0)
        {
            return pending.Fault;
        }

        pending.Remaining--;
        if (pending.Remaining == 0)
        {
            _faults.RemoveAt(index);
        }

        return pending.Fault;
    }

    private sealed class LoggedSubmit(ReceivedRequest request)
    {
        public ReceivedRequest Request { get; } = request;

        public int? Status { get; set; }
    }

    private sealed class PendingFault(SimulatedFault fault)
    {
        public SimulatedFault Fault { get; } = fault;

        public int Remaining { get; set; } = fault.Times;
    }
}
