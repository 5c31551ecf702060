using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace StartFrame.Core.Polling;

/// <summary>
/// How long tasks of each <see cref="VideoShape"/> take from acceptance to done, learned from the tasks tracking saw
/// succeed (table <c>startframegentimes</c>, one row per shape), so the next task's first poll is placed there.
/// It is an estimate, and treated as one:
/// <list type="bullet">
/// <item>Cheap to read: each instance keeps what it read or wrote for <see cref="CacheFor"/>, so a submission costs at
/// most one point read, and most cost none.</item>
/// <item>Never in the way: a read or write that fails, or takes longer than <see cref="Timeout"/>, is given up and
/// logged once (until the table answers again); the task then gets the fixed schedule, and nothing else changes.</item>
/// <item>Last writer wins: each observation replaces the row with the mean moved towards it. Two tasks of one shape
/// finishing at the same moment (or instances whose cached rows are minutes apart) may lose one observation, which a
/// moving mean does not miss; an ETag would cost a retry loop for nothing an estimate needs.</item>
/// </list>
/// The mean is exponentially weighted (<see cref="Weight"/>): recent tasks count most, so a model that gets a little
/// faster or slower is followed within a few tasks, and one slow task moves the estimate by a third of its excess, not
/// all of it; a task that took over twice or under half the mean starts it again from that task.
/// </summary>
public sealed partial class GenerationTimes(
    TableServiceClient tables,
    PollSchedule schedule,
    IOptions<StartFrameOptions> options,
    TimeProvider timeProvider,
    ILogger<GenerationTimes> logger)
{
    /// <summary>The weight of the newest observation in the moving mean.</summary>
    public const double Weight = 0.3;

    /// <summary>The longest readable key part; a longer one, or one with other characters, is hashed. Table keys may hold
    /// 512 characters in Azurite (1 KiB in Azure) and refuse <c>/ \ # ?</c> and control characters.</summary>
    public const int MaxReadableKeyLength = 100;

    /// <summary>How long an instance trusts what it last read or wrote of a shape.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(5);

    /// <summary>How long an instance trusts that a shape has not been learned yet: short, because another instance may
    /// learn it from the first task to finish any moment, and every task this one submits meanwhile is polled on the
    /// fixed schedule (a batch's second round a whole doubling late). At most one point read per shape and instance
    /// this often, and only until the shape is learned.</summary>
    public static readonly TimeSpan CacheAbsentFor = TimeSpan.FromSeconds(15);

    /// <summary>The longest a read or write may take (real time) before the estimate is done without.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    private const int MaxCached = 1000;
    private const int MaxTextLength = 256;

    private readonly TableClient _table = tables.GetTableClient(StartFrameOptions.GenerationTimesTable);
    private readonly ConcurrentDictionary<string, Known> _known = new(StringComparer.Ordinal);
    private int _unavailable;

    /// <summary>How long a task of <paramref name="shape"/> is expected to take; null when no task of it was seen to
    /// finish, when learning is off (<c>StartFrame__PollAtExpectedTime</c>) or when the table cannot be read now.
    /// Never throws: it runs after ModelStream accepted the task, where nothing may stop the task being recorded.</summary>
    public async Task<TimeSpan?> ExpectedAsync(VideoShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (!options.Value.PollAtExpectedTime)
        {
            return null;
        }

        var key = KeyOf(shape);
        var learned = Fresh(key) is { } known ? known.Learned : (await ReadAsync(key).ConfigureAwait(false)).Learned;
        return learned?.Seconds is { } seconds && seconds > 0 && seconds <= schedule.Horizon.TotalSeconds ? TimeSpan.FromSeconds(seconds) : null;
    }

    /// <summary>
    /// Learns from a task a poll at <paramref name="doneAt"/> first found succeeded (before its video is copied, and
    /// before its slot is given back, so the task that slot goes to is placed by it; once per task): how long it took,
    /// as its polls bracket it (<see cref="PollSchedule.GenerationTimeSeen"/>), moves its shape's mean. Off-peak tasks
    /// and messages without a shape teach nothing. Never throws, and is not cancelled with the delivery (it is bounded by
    /// <see cref="Timeout"/> per call): learning is a gain, never a reason for a delivery to fail.
    /// </summary>
    public async Task ObserveAsync(TrackingMessage message, DateTimeOffset doneAt)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!options.Value.PollAtExpectedTime || message.OffPeak || message.Shape is not { } shape || schedule.GenerationTimeSeen(message, doneAt) is not { } seen)
        {
            return;
        }

        var key = KeyOf(shape);
        Learned? current;
        if (Fresh(key) is { Failed: false } known)
        {
            current = known.Learned;
        }
        else
        {
            var (read, learned) = await ReadAsync(key).ConfigureAwait(false);
            if (!read)
            {
                return; // the table cannot be read: an observation written over a row never read would undo it
            }

            current = learned;
        }

        var next = Updated(current, seen);
        var entity = new TableEntity(key.PartitionKey, key.RowKey)
        {
            ["Seconds"] = next.Seconds,
            ["Samples"] = next.Samples,
            ["LastSeenSeconds"] = seen.TotalSeconds,
            ["Model"] = Cut(shape.Model),
            ["Duration"] = Cut(shape.Duration),
            ["Resolution"] = Cut(shape.Resolution),
        };
        try
        {
            using var timeout = new CancellationTokenSource(Timeout);
            await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Failed(key, ex);
            return;
        }

        Remember(key, next, failed: false);
        Learning(logger, Cut(shape.Model), Cut(shape.Duration), Cut(shape.Resolution), seen.TotalSeconds, next.Seconds, next.Samples);
    }

    /// <summary>The mean after one more observation. The first observation of a shape is its mean, and so is one over
    /// twice the mean or under half of it: the shape's time has changed (another deployment, a model update), and a
    /// moving mean would take a dozen tasks to get there, each polled on a schedule made for the old time.</summary>
    public static Learned Updated(Learned? current, TimeSpan seen)
    {
        var seconds = seen.TotalSeconds;
        if (current is not { Samples: > 0, Seconds: > 0 } || !double.IsFinite(current.Seconds) || seconds > 2 * current.Seconds || seconds < current.Seconds / 2)
        {
            return new Learned(seconds, 1);
        }

        return new Learned(current.Seconds + (Weight * (seconds - current.Seconds)), current.Samples == int.MaxValue ? int.MaxValue : current.Samples + 1);
    }

    /// <summary>The table keys of a shape: the model (case-insensitive, as the catalog's ids) and its duration and
    /// resolution, each as it reads when short and plain, else as its SHA-256 (hex), so any value is a valid key.</summary>
    public static (string PartitionKey, string RowKey) KeysOf(VideoShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return (KeyPart(shape.Model.ToLowerInvariant()), KeyPart($"{shape.Duration}|{shape.Resolution}"));
    }

    private static ShapeKey KeyOf(VideoShape shape)
    {
        var (partitionKey, rowKey) = KeysOf(shape);
        return new ShapeKey(partitionKey, rowKey, partitionKey + "/" + rowKey);
    }

    private static string KeyPart(string text) =>
        text.Length is > 0 and <= MaxReadableKeyLength && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '|' or ' ')
            ? text
            : "sha256-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string Cut(string text) => text.Length <= MaxTextLength ? text : text[..MaxTextLength];

    private Known? Fresh(ShapeKey key) =>
        _known.TryGetValue(key.Cache, out var known) && timeProvider.GetUtcNow() - known.At < (known is { Learned: null, Failed: false } ? CacheAbsentFor : CacheFor) ? known : null;

    /// <summary>One point read: whether the table answered, and its row (null when the shape has none). Either is
    /// remembered for <see cref="CacheFor"/>, so an outage costs one timeout per shape and instance every five minutes, not one per submission.</summary>
    private async Task<(bool Read, Learned? Learned)> ReadAsync(ShapeKey key)
    {
        Learned? learned;
        try
        {
            using var timeout = new CancellationTokenSource(Timeout);
            var row = await _table.GetEntityIfExistsAsync<TableEntity>(key.PartitionKey, key.RowKey, ["Seconds", "Samples"], timeout.Token).ConfigureAwait(false);
            learned = row.HasValue && row.Value is { } entity && entity.GetDouble("Seconds") is { } seconds
                ? new Learned(seconds, entity.GetInt32("Samples") ?? 1)
                : null;
        }
        catch (Exception ex)
        {
            Failed(key, ex);
            return (false, null);
        }

        Remember(key, learned, failed: false);
        return (true, learned);
    }

    private void Remember(ShapeKey key, Learned? learned, bool failed)
    {
        // Shapes come from requests, and unknown models pass through: the cache is bounded, and simply starts over.
        if (_known.Count >= MaxCached && !_known.ContainsKey(key.Cache))
        {
            _known.Clear();
        }

        _known[key.Cache] = new Known(learned, timeProvider.GetUtcNow(), failed);
        if (!failed && Interlocked.Exchange(ref _unavailable, 0) == 1)
        {
            Available(logger);
        }
    }

    private void Failed(ShapeKey key, Exception ex)
    {
        Remember(key, null, failed: true);
        if (Interlocked.Exchange(ref _unavailable, 1) == 0)
        {
            Unavailable(logger, StartFrameOptions.GenerationTimesTable, ex.GetType().Name, ex);
        }
    }

    [LoggerMessage(1130, LogLevel.Warning, "The generation times ({Table}) cannot be read or written ({Error}); tasks are polled on the fixed schedule until they can")]
    private static partial void Unavailable(ILogger logger, string table, string error, Exception exception);

    [LoggerMessage(1131, LogLevel.Information, "The generation times answer again; first polls are placed at the learned times")]
    private static partial void Available(ILogger logger);

    [LoggerMessage(1132, LogLevel.Information, "Tasks of {Model} (duration {Duration}, resolution {Resolution}) took {SeenSeconds:0.0} s; expected now {ExpectedSeconds:0.0} s, over {Samples} task(s)")]
    private static partial void Learning(ILogger logger, string model, string duration, string resolution, double seenSeconds, double expectedSeconds, int samples);

    /// <summary>What the table holds for one shape: the moving mean, in seconds, and how many tasks made it.</summary>
    public sealed record Learned(double Seconds, int Samples);

    private sealed record ShapeKey(string PartitionKey, string RowKey, string Cache);

    private sealed record Known(Learned? Learned, DateTimeOffset At, bool Failed);
}
