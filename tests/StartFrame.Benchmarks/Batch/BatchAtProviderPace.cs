using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using ModelStream.Simulator;
using StartFrame.Core;
using StartFrame.Core.Storage;
using StartFrame.Core.Tracking;
using StartFrame.Core.Uploads;
using StartFrame.Core.WaysIn;
using StartFrame.IntegrationTests.Infrastructure;
using StartFrame.LocalDev;
using StartFrame.LocalDev.InProcess;

namespace StartFrame.Benchmarks.Batch;

/// <summary>
/// P4, a batch at the provider's pace: N uploads land at once on an app scaled out to two worker instances, against a
/// ModelStream account that runs C tasks at a time, each taking G. Every request to Azurite and to the simulator is
/// real; time is a fake clock shared by both instances and the simulator, moved on only when nothing is running, to the
/// next thing due — so minutes of provider time run in seconds, the same way on every run.
/// </summary>
/// <remarks>
/// The Functions host is played as host.json configures it: each blob event runs the blob function once on one
/// instance (at most <c>maxDegreeOfParallelism</c> at a time per instance), a run that throws runs again after the
/// retry delay, up to <c>poisonBlobThreshold</c> runs, then the blob goes to <c>webjobs-blobtrigger-poison</c>; every
/// queue trigger of <see cref="TriggerTable"/> is pumped on both instances by the in-process host's
/// <see cref="QueuePump"/> (batches, delete, visibility delay on failure, poison after <c>maxDequeueCount</c>).
/// Only the ways in the app has are used: blobs uploaded, then their events; nothing inside the core is called directly.
/// </remarks>
internal static class BatchAtProviderPace
{
    private const int Instances = 2;
    private static readonly TimeSpan MostFakeTime = TimeSpan.FromHours(6);

    public static async Task<BatchResult> MeasureAsync(AzuriteServer azurite, BatchScenario scenario, Progress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(azurite);
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(progress);
        var wall = Stopwatch.StartNew();
        var host = HostJson.Read(RepoLayout.Find().HostJson);
        var queueTriggers = TriggerTable.QueueTriggers.Select(t => (Trigger: t, Call: QueueFunctions.For(t))).ToList();

        var clock = new VirtualClock(DateTimeOffset.UtcNow);
        await using var simulator = await ModelStreamSimulator.StartAsync(new SimulatorOptions
        {
            RequiredApiKey = WorkerInstance.ApiKey,
            TimeProvider = clock,
            GenerationTime = scenario.Generation,
            MaxConcurrentTasks = scenario.Concurrency,
            // The SAS the core signs is on the fake clock; Azurite checks it on the real one. Fetching is the provider's work.
            FetchImages = false,
        }, cancellationToken);

        var coreCalls = new StorageRequestCounter();
        var hostCalls = new StorageRequestCounter();
        var delayed = new DelayedMessages(clock);
        var inFlight = new InFlightRequests();
        var workers = new List<WorkerInstance>();
        try
        {
            for (var i = 0; i < Instances; i++)
            {
                workers.Add(WorkerInstance.Start($"instance {i + 1}", azurite, simulator.BaseAddress, scenario.Admission ? scenario.Concurrency : null, new ClockView(clock), coreCalls, hostCalls, delayed, inFlight));
            }

            await workers[0].Services.GetRequiredService<StorageProvisioner>().EnsureCreatedAsync(cancellationToken);
            var setup = new Setup(azurite.ConnectionString);
            await setup.ResetAsync(cancellationToken);

            var run = new Run(scenario, clock, host, workers, queueTriggers, delayed, inFlight, setup, progress, cancellationToken);
            var storageBefore = coreCalls.Count + hostCalls.Count;
            var started = await run.UploadBatchAsync();
            await run.DriveAsync(started);
            var storageCalls = coreCalls.Count + hostCalls.Count - storageBefore - run.EmptyReceives;
            var result = await run.ResultAsync(started, simulator, storageCalls, wall);
            progress.Line(F($"P4 N={scenario.Uploads}: last video at {result.TimeToLastVideo.TotalSeconds:0} s on the fake clock ({result.OverIdeal:0.00}× ideal), {result.Posts} POSTs, {result.Rate429s} answered 429, in {wall.Elapsed.TotalSeconds:0.0} s"));
            return result;
        }
        finally
        {
            foreach (var worker in workers)
            {
                await worker.DisposeAsync();
            }
        }
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Uncounted clients, for what the test does itself: uploading, making hidden messages visible, reading results.</summary>
    private sealed class Setup(string connectionString)
    {
        public BlobContainerClient Uploads { get; } = new(connectionString, StartFrameOptions.UploadsContainer);

        public BlobContainerClient Videos { get; } = new(connectionString, StartFrameOptions.VideosContainer);

        public QueueServiceClient Queues { get; } = new(connectionString, QueueMessages.ClientOptions());

        /// <summary>Empties what a run leaves, so P4 on a reused Azurite starts clean.</summary>
        public async Task ResetAsync(CancellationToken cancellationToken)
        {
            var queues = TriggerTable.All.SelectMany(t => new[] { t.Kind == TriggerKind.Queue ? t.Source : null, t.PoisonQueue })
                .Concat([StartFrameOptions.TasksQueue, StartFrameOptions.FailuresQueue, StartFrameOptions.CompletionsQueue])
                .OfType<string>().Distinct(StringComparer.Ordinal);
            foreach (var queue in queues)
            {
                var client = Queues.GetQueueClient(queue);
                if ((await client.ExistsAsync(cancellationToken)).Value)
                {
                    await client.ClearMessagesAsync(cancellationToken);
                }
            }
        }

        /// <summary>Every message on <paramref name="queue"/> (received and deleted: the run is over), as JSON.</summary>
        public async Task<IReadOnlyList<JsonObject>> DrainAsync(string queue, CancellationToken cancellationToken)
        {
            var client = Queues.GetQueueClient(queue);
            var all = new List<JsonObject>();
            if (!(await client.ExistsAsync(cancellationToken)).Value)
            {
                return all;
            }

            while (true)
            {
                var batch = (await client.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5), cancellationToken)).Value;
                if (batch.Length == 0)
                {
                    return all;
                }

                foreach (var message in batch)
                {
                    all.Add(JsonNode.Parse(message.Body.ToString()) as JsonObject ?? []);
                    await client.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
                }
            }
        }
    }

    /// <summary>One blob event waiting for its (next) run.</summary>
    private sealed class BlobEvent(string blob)
    {
        public string Blob { get; } = blob;

        public int Runs { get; set; }

        public DateTimeOffset Due { get; set; }
    }

    private sealed class Run(
        BatchScenario scenario,
        VirtualClock clock,
        HostJson host,
        IReadOnlyList<WorkerInstance> workers,
        IReadOnlyList<(Trigger Trigger, Func<IServiceProvider, Azure.Storage.Queues.Models.QueueMessage, CancellationToken, Task<TrackingOutcome?>> Call)> queueTriggers,
        DelayedMessages delayed,
        InFlightRequests inFlight,
        Setup setup,
        Progress progress,
        CancellationToken cancellationToken)
    {
        private readonly Lock _gate = new();
        private readonly List<BlobEvent> _events = [];
        private readonly List<Task> _running = [];
        private readonly int[] _blobRuns = new int[workers.Count];
        private readonly Dictionary<(int Worker, string Queue), Task> _batches = [];
        private readonly List<(DateTimeOffset At, string TaskId)> _videos = [];
        private readonly List<string> _poisonedBlobs = [];
        private int _nextWorker;
        private int _emptyReceives;
        private long _deliveries;

        public long EmptyReceives => Volatile.Read(ref _emptyReceives);

        /// <summary>The batch's images, under a folder of this run's own: on an Azurite used before, the same names and
        /// bytes would be uploads already submitted.</summary>
        private IReadOnlyList<string> Images { get; } = Names(scenario.Uploads, Guid.NewGuid().ToString("N")[..8]);

        private static List<string> Names(int count, string run) =>
            Enumerable.Range(0, count).Select(i => string.Create(CultureInfo.InvariantCulture, $"batch/{run}/{i:D4}.png")).ToList();

        /// <summary>Uploads the batch: every sidecar first (its event finds no image yet and does nothing, as when a client
        /// uploads the sidecar first), then every image at once — the batch's start; returns that time.</summary>
        public async Task<DateTimeOffset> UploadBatchAsync()
        {
            var names = Images;
            var png = BinaryData.FromBytes(TestImages.Png(640, 360));
            var sidecar = BinaryData.FromString(Sidecars.Valid);
            var options = new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(names, options, async (name, token) =>
                await setup.Uploads.GetBlobClient(UploadNames.SidecarOf(name)).UploadAsync(sidecar, overwrite: true, token));
            Raise(names.Select(UploadNames.SidecarOf));
            await DriveAsync(clock.GetUtcNow());

            var started = clock.GetUtcNow();
            await Parallel.ForEachAsync(names, options, async (name, token) => await setup.Uploads.GetBlobClient(name).UploadAsync(
                png, new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "image/png" } }, token));
            Raise(names);
            return started;
        }

        /// <summary>Runs until nothing is running, due or waiting.</summary>
        public async Task DriveAsync(DateTimeOffset started)
        {
            var said = Stopwatch.StartNew();
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (said.Elapsed > TimeSpan.FromSeconds(5))
                {
                    said.Restart();
                    progress.Line(Status(started));
                }

                if (clock.GetUtcNow() - started > MostFakeTime)
                {
                    throw new BenchmarkFailedException($"P4 was still running after {MostFakeTime.TotalHours:0} h on the fake clock.");
                }

                if (await StartWhatIsDueAsync())
                {
                    continue;
                }

                bool anyRunning;
                lock (_gate)
                {
                    _running.RemoveAll(t => t.IsCompleted);
                    anyRunning = _running.Count > 0;
                }

                if (!await IdleAsync())
                {
                    // Requests in flight or continuations running: look again shortly (this is polling, not a timed wait).
                    await Task.Delay(1, cancellationToken);
                    continue;
                }

                var next = new[] { clock.NextTimerDue, delayed.NextDue, NextEventDue() }.Where(d => d is not null).Min();
                if (next is { } due)
                {
                    clock.AdvanceTo(due);
                    continue;
                }

                if (!anyRunning)
                {
                    return;
                }

                // Running but waiting on nothing of the fake clock (a real-time wait in the core): let it run.
                await Task.Delay(1, cancellationToken);
            }
        }

        /// <summary>Makes due messages visible, fires due timers, starts due blob runs and receives fresh queues; true when anything started.</summary>
        private async Task<bool> StartWhatIsDueAsync()
        {
            var now = clock.GetUtcNow();
            clock.AdvanceTo(now);
            foreach (var message in delayed.TakeDue(now))
            {
                try
                {
                    await setup.Queues.GetQueueClient(message.Queue).UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: cancellationToken);
                }
                catch (Azure.RequestFailedException ex) when (ex.Status is 400 or 404)
                {
                    // The app made it visible in the same instant (a wake), and it may be received or gone already.
                }
            }

            var started = false;
            lock (_gate)
            {
                foreach (var blobEvent in _events.Where(e => e.Due <= now).OrderBy(e => e.Due).ToList())
                {
                    var worker = Enumerable.Range(0, workers.Count).Select(i => (_nextWorker + i) % workers.Count)
                        .FirstOrDefault(i => _blobRuns[i] < host.Blobs.MaxDegreeOfParallelism, -1);
                    if (worker < 0)
                    {
                        break;
                    }

                    _nextWorker = (worker + 1) % workers.Count;
                    _events.Remove(blobEvent);
                    _blobRuns[worker]++;
                    _running.Add(RunBlobAsync(worker, blobEvent));
                    started = true;
                }
            }

            foreach (var (trigger, call) in queueTriggers)
            {
                if (!delayed.TakeFresh(trigger.Source))
                {
                    continue;
                }

                var (busy, received) = (false, false);
                for (var worker = 0; worker < workers.Count; worker++)
                {
                    lock (_gate)
                    {
                        if (_batches.TryGetValue((worker, trigger.Source), out var running) && !running.IsCompleted)
                        {
                            busy = true; // this instance still runs a batch of it: another look when it is done
                            continue;
                        }

                        var batch = RunBatchAsync(Pump(worker, trigger, call), trigger.Source);
                        _batches[(worker, trigger.Source)] = batch;
                        _running.Add(batch);
                    }

                    started = received = true;
                }

                // Only when no instance could look: one that did gets what is visible (and a full batch marks the queue again).
                if (busy && !received)
                {
                    delayed.MarkFresh(trigger.Source);
                }
            }

            return started;
        }

        private QueuePump Pump(int worker, Trigger trigger, Func<IServiceProvider, Azure.Storage.Queues.Models.QueueMessage, CancellationToken, Task<TrackingOutcome?>> call)
        {
            var instance = workers[worker];
            var queue = instance.HostQueues.GetQueueClient(trigger.Source);
            var poison = instance.HostQueues.GetQueueClient(trigger.PoisonQueue ?? trigger.Source + TriggerTable.PoisonSuffix);
            return new QueuePump(
                queue,
                poison,
                async (message, token) =>
                {
                    Interlocked.Increment(ref _deliveries);
                    inFlight.Touch();
                    using var touched = new Touched(inFlight);
                    await using var scope = instance.Services.CreateAsyncScope();
                    if (await call(scope.ServiceProvider, message, token) is { Status: TrackingOutcomeStatus.Succeeded } outcome)
                    {
                        lock (_gate)
                        {
                            _videos.Add((clock.GetUtcNow(), outcome.TaskId));
                        }
                    }
                },
                host.Queues);
        }

        /// <summary>One receive and its deliveries, as the host's listener makes them; a full batch means more may wait.</summary>
        private async Task RunBatchAsync(QueuePump pump, string queue)
        {
            await Task.Yield(); // the caller holds the lock
            var delivered = await pump.DeliverBatchAsync(cancellationToken);
            if (delivered == 0)
            {
                Interlocked.Increment(ref _emptyReceives); // the host's idle polling: not counted, as in T1
            }
            else if (delivered >= host.Queues.BatchSize)
            {
                delayed.MarkFresh(queue);
            }
        }

        private async Task RunBlobAsync(int worker, BlobEvent blobEvent)
        {
            var instance = workers[worker];
            inFlight.Touch();
            using var touched = new Touched(inFlight);
            try
            {
                blobEvent.Runs++;
                await using var scope = instance.Services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<IBlobUploads>()
                    .ProcessBlobAsync(instance.Uploads.GetBlobClient(blobEvent.Blob), Guid.NewGuid().ToString("D"), cancellationToken);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                if (blobEvent.Runs >= host.Blobs.PoisonBlobThreshold)
                {
                    var poison = instance.HostQueues.GetQueueClient(TriggerTable.BlobTriggerPoisonQueue);
                    await poison.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None);
                    await poison.SendMessageAsync(blobEvent.Blob, CancellationToken.None);
                    lock (_gate)
                    {
                        _poisonedBlobs.Add(blobEvent.Blob);
                    }
                }
                else
                {
                    blobEvent.Due = clock.GetUtcNow() + host.Blobs.RetryDelay;
                    lock (_gate)
                    {
                        _events.Add(blobEvent);
                    }
                }
            }
            finally
            {
                lock (_gate)
                {
                    _blobRuns[worker]--;
                }
            }
        }

        private void Raise(IEnumerable<string> blobs)
        {
            var now = clock.GetUtcNow();
            lock (_gate)
            {
                _events.AddRange(blobs.Select(b => new BlobEvent(b) { Due = now }));
            }
        }

        /// <summary>Where the run is, for the progress line every few seconds.</summary>
        private string Status(DateTimeOffset started)
        {
            lock (_gate)
            {
                return F($"  P4 at {(clock.GetUtcNow() - started).TotalSeconds:0} s fake: {_videos.Count} videos, {_running.Count(t => !t.IsCompleted)} running, {_events.Count} blob events waiting, ") +
                       F($"{delayed.Waiting} messages hidden, {inFlight.Count} requests in flight");
            }
        }

        private DateTimeOffset? NextEventDue()
        {
            // An event already due waits for a free slot, which a run ending makes, not the clock.
            var now = clock.GetUtcNow();
            lock (_gate)
            {
                return _events.Where(e => e.Due > now).Select(e => (DateTimeOffset?)e.Due).Min();
            }
        }

        /// <summary>
        /// Nothing in flight, nothing queued on the thread pool, and no request or delivery started or ended over three
        /// looks a millisecond apart: every delivery left is waiting on the fake clock (or done). The looks poll a
        /// condition; no wait here stands in for one.
        /// </summary>
        private async Task<bool> IdleAsync()
        {
            var epoch = inFlight.Epoch;
            for (var look = 0; look < 3; look++)
            {
                if (!inFlight.NothingInFlight())
                {
                    return false;
                }

                await Task.Delay(1, cancellationToken);
            }

            return inFlight.NothingInFlight() && inFlight.Epoch == epoch;
        }

        public async Task<BatchResult> ResultAsync(DateTimeOffset started, ModelStreamSimulator simulator, long storageCalls, Stopwatch wall)
        {
            var tasks = await setup.DrainAsync(StartFrameOptions.TasksQueue, cancellationToken);
            var completions = await setup.DrainAsync(StartFrameOptions.CompletionsQueue, cancellationToken);
            var failures = await setup.DrainAsync(StartFrameOptions.FailuresQueue, cancellationToken);
            static string? BlobOf(JsonObject record) => record["source"]?["blob"]?.GetValue<string>();
            var images = Images;
            var withVideo = completions.Where(c => c["status"]?.GetValue<string>() == "succeeded").Select(BlobOf).OfType<string>().ToHashSet(StringComparer.Ordinal);
            var withFailure = failures.Select(BlobOf).OfType<string>()
                .Concat(completions.Where(c => c["status"]?.GetValue<string>() != "succeeded").Select(BlobOf).OfType<string>())
                .ToHashSet(StringComparer.Ordinal);
            var tasksPerImage = tasks.Select(BlobOf).OfType<string>().GroupBy(b => b, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            var statuses = simulator.SubmitStatuses;
            var accepted = statuses.GetValueOrDefault(200);

            var poison = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var queue in TriggerTable.All.Select(t => t.PoisonQueue).OfType<string>().Distinct(StringComparer.Ordinal))
            {
                var client = setup.Queues.GetQueueClient(queue);
                if ((await client.ExistsAsync(cancellationToken)).Value
                    && (await client.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount is > 0 and var count)
                {
                    poison[queue] = count;
                }
            }

            var videoBlobs = 0;
            await foreach (var _ in setup.Videos.GetBlobsAsync(cancellationToken: cancellationToken))
            {
                videoBlobs++;
            }

            DateTimeOffset last;
            lock (_gate)
            {
                last = _videos.Count == 0 ? started : _videos.Max(v => v.At);
            }

            return new BatchResult(
                Scenario: scenario,
                Instances: workers.Count,
                TimeToLastVideo: last - started,
                Posts: statuses.Values.Sum(),
                Accepted: accepted,
                Rate429s: statuses.GetValueOrDefault(429),
                FailureRecords: failures.Count,
                FailureCodes: failures.SelectMany(f => f["errors"]?.AsArray().Select(e => e?["code"]?.GetValue<string>()) ?? [])
                    .OfType<string>().GroupBy(c => c, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
                Poison: poison,
                DoubleCharges: tasksPerImage.Values.Sum(n => n - 1) + Math.Max(0, accepted - tasks.Count),
                Lost: images.Count(i => !withVideo.Contains(i) && !withFailure.Contains(i)),
                Videos: videoBlobs,
                StorageCalls: storageCalls,
                Deliveries: Interlocked.Read(ref _deliveries),
                WallTime: wall.Elapsed);
        }
    }
}

/// <summary>Notes a delivery's end, however it ends.</summary>
internal readonly struct Touched(InFlightRequests inFlight) : IDisposable
{
    public void Dispose() => inFlight.Touch();
}

/// <summary>How big a batch P4 runs: N uploads, C tasks at a time at ModelStream, G per task.</summary>
internal sealed record BatchScenario(int Uploads, int Concurrency, TimeSpan Generation)
{
    /// <summary>Whether the workers run admission control with the account's limit configured
    /// (<c>ModelStream__MaxConcurrentTasks</c> = C); without it they submit as soon as they can and meet the 429s.</summary>
    public bool Admission { get; init; }

    /// <summary>The best any pipeline could do: ceil(N/C) rounds of G.</summary>
    public TimeSpan Ideal => Generation * Math.Ceiling((double)Uploads / Concurrency);
}

/// <summary>What P4 measured.</summary>
internal sealed record BatchResult(
    BatchScenario Scenario,
    int Instances,
    TimeSpan TimeToLastVideo,
    int Posts,
    int Accepted,
    int Rate429s,
    int FailureRecords,
    IReadOnlyDictionary<string, int> FailureCodes,
    IReadOnlyDictionary<string, int> Poison,
    int DoubleCharges,
    int Lost,
    int Videos,
    long StorageCalls,
    long Deliveries,
    TimeSpan WallTime)
{
    public double OverIdeal => TimeToLastVideo / Scenario.Ideal;

    public double Share429 => Posts == 0 ? 0 : (double)Rate429s / Posts;

    public int PoisonCount => Poison.Values.Sum();

    public double StorageCallsPerVideo => Videos == 0 ? double.NaN : (double)StorageCalls / Videos;
}
