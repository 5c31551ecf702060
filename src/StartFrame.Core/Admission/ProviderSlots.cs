using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelStream.Client;
using StartFrame.Core.Telemetry;

namespace StartFrame.Core.Admission;

/// <summary>
/// Admission control: ModelStream refuses (429) a POST beyond the account's limit of unfinished tasks, so a run takes a
/// slot before it POSTs and the slot is given back when the task ends. The slots are rows of one table partition
/// (<c>startframeslots</c>, one row per slot), taken and given back with ETag-checked writes, so the limit holds across
/// every function instance; there is no in-memory count.
/// <para>
/// No slot leaks, whichever step a run dies after: a slot is taken with a lease as long as a claim's
/// (<see cref="StartFrameOptions.ClaimLease"/>, which bounds a POST); once ModelStream accepted the task the slot names
/// it and its lease becomes <see cref="StartFrameOptions.SlotTaskLease"/>; tracking gives it back when a poll sees the task
/// end, a refused POST gives it back at once, and a lease that runs out frees it for the next run. A run that died
/// between its POST and naming the task leaves the slot to its first lease: the task may then run uncounted, which can
/// cost one 429 (not an attempt, see <see cref="ProviderSlots"/>'s callers), never a lost or doubled upload.
/// </para>
/// </summary>
public sealed class ProviderSlots(
    TableServiceClient tables,
    IOptions<ModelStreamClientOptions> modelStream,
    IOptions<StartFrameOptions> options,
    LearnedLimit learned,
    TimeProvider timeProvider,
    ILogger<ProviderSlots> logger)
{
    /// <summary>The partition every slot row is in (one partition: one query reads them all).</summary>
    public const string Partition = "slots";

    /// <summary>The longest task id a slot keeps (ModelStream's are a dozen characters).</summary>
    private const int MaxTaskIdLength = 1024;

    private readonly TableClient _table = tables.GetTableClient(StartFrameOptions.ProviderSlotsTable);

    /// <summary>Whether admission control is on: <c>ModelStream__MaxConcurrentTasks</c> is set (0: learn the limit).</summary>
    public bool Enabled => modelStream.Value.MaxConcurrentTasks is not null;

    /// <summary>Whether the limit is learned (<see cref="LearnedLimit"/>) rather than configured.</summary>
    public bool Learning => modelStream.Value.MaxConcurrentTasks == 0;

    /// <summary>The limit to admit by now: the configured one, or the learned one.</summary>
    public async Task<int> LimitAsync(CancellationToken cancellationToken) =>
        modelStream.Value.MaxConcurrentTasks switch
        {
            null => throw new InvalidOperationException("Admission control is off: ModelStream:MaxConcurrentTasks is not set."),
            0 => await learned.CurrentAsync(cancellationToken).ConfigureAwait(false),
            { } configured => configured,
        };

    /// <summary>ModelStream accepted the POST made with <paramref name="slot"/>: a learned limit may grow. Best effort.</summary>
    public Task NoteAcceptedAsync(SlotLease slot, CancellationToken cancellationToken) =>
        Learning ? learned.AcceptedAsync(slot.Held, cancellationToken) : Task.CompletedTask;

    /// <summary>ModelStream answered 429 to the POST made with <paramref name="slot"/>: a learned limit shrinks. Best effort.</summary>
    public Task NoteThrottledAsync(SlotLease slot, CancellationToken cancellationToken) =>
        Learning ? learned.ThrottledAsync(slot.Held, cancellationToken) : Task.CompletedTask;

    /// <summary>The row key of slot <paramref name="index"/>: fixed width, so the rows sort in slot order.</summary>
    public static string KeyOf(int index) => "slot-" + index.ToString("D5", CultureInfo.InvariantCulture);

    /// <summary>
    /// Takes a free slot for the claim <paramref name="holder"/>, leaving none to anyone, or null when all
    /// <see cref="LimitAsync"/> are held (a submission that stands in no line, or another system's use of the account).
    /// </summary>
    public async Task<SlotLease?> TryTakeAsync(string holder, CancellationToken cancellationToken) =>
        (await TryTakeAsync(holder, null, [], cancellationToken).ConfigureAwait(false)).Slot;

    /// <summary>
    /// Takes a free slot for the upload at <paramref name="place"/> in the <see cref="WaitingLine"/> (null: it stands in
    /// none), leaving one free for each upload in <paramref name="ahead"/> that does not hold one already (it took its
    /// slot and has not left the line yet); also says how many were left to them. Null when all <see cref="LimitAsync"/>
    /// are held or left to the uploads ahead. Each try is an insert (a slot never used) or an ETag-checked replace (a free
    /// one): a run that loses a race tries the next. Slots past the limit (it was lowered) still count while held.
    /// </summary>
    public async Task<(SlotLease? Slot, int Ahead)> TryTakeAsync(string holder, string? place, IReadOnlyCollection<string> ahead, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(holder);
        ArgumentNullException.ThrowIfNull(ahead);
        var limit = await LimitAsync(cancellationToken).ConfigureAwait(false);
        var now = timeProvider.GetUtcNow();
        var rows = await ReadAllAsync(cancellationToken).ConfigureAwait(false);
        var held = rows.Values.Count(row => row.IsHeld(now));
        var holding = rows.Values.Where(row => row.IsHeld(now) && row.Place is not null).Select(row => row.Place!).ToHashSet(StringComparer.Ordinal);
        var leaveFree = ahead.Count(p => !holding.Contains(p));
        if (held + leaveFree >= limit)
        {
            StartFrameMetrics.Slots(held, limit);
            return (null, leaveFree);
        }

        // From a random slot on, so runs on several instances do not all race for slot 0.
        var start = Random.Shared.Next(limit);
        for (var i = 0; i < limit; i++)
        {
            var key = KeyOf((start + i) % limit);
            rows.TryGetValue(key, out var row);
            if (row is not null && row.IsHeld(now))
            {
                continue;
            }

            var taken = new ProviderSlot
            {
                RowKey = key,
                Holder = holder,
                Place = place,
                TakenAt = now,
                LeaseUntil = now + options.Value.ClaimLease,
            };
            try
            {
                var response = row is null
                    ? await _table.AddEntityAsync(taken, cancellationToken).ConfigureAwait(false)
                    : await _table.UpdateEntityAsync(taken, row.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                StartFrameMetrics.Slots(held + 1, limit);
                return (new SlotLease(key, response.Headers.ETag ?? default, holder, held + 1), leaveFree);
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Another run took this one between our read and our write: try the next.
            }
        }

        return (null, leaveFree);
    }

    /// <summary>
    /// ModelStream accepted the task of the slot this run holds: the slot now counts for it, until tracking gives it back
    /// or <see cref="StartFrameOptions.SlotTaskLease"/> runs out. Best effort: if it fails, the slot keeps its first lease.
    /// </summary>
    public async Task BindAsync(SlotLease slot, string taskId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(slot);
        var now = timeProvider.GetUtcNow();
        var bound = new ProviderSlot
        {
            RowKey = slot.RowKey,
            Holder = slot.Holder,
            TaskId = taskId.Length <= MaxTaskIdLength ? taskId : null,
            TakenAt = now,
            LeaseUntil = now + options.Value.SlotTaskLease,
        };
        try
        {
            await _table.UpdateEntityAsync(bound, slot.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex)
        {
            // 412: the first lease ran out during the POST and another run has the slot now.
            AdmissionLog.SlotNotBound(logger, slot.RowKey, ex.Status);
        }
    }

    /// <summary>Gives back a slot this run took and did not use (the POST was refused, or never sent). Best effort: the lease frees it otherwise.</summary>
    public async Task GiveBackAsync(SlotLease slot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(slot);
        try
        {
            await _table.UpdateEntityAsync(new ProviderSlot { RowKey = slot.RowKey }, slot.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex)
        {
            AdmissionLog.SlotNotGivenBack(logger, slot.RowKey, ex.Status);
        }
    }

    /// <summary>
    /// Tracking saw <paramref name="taskId"/> end: its slot, if it still counts for it, is free again. Idempotent (a
    /// duplicate poll finds no slot naming the task). True when a slot was given back.
    /// </summary>
    public async Task<bool> GiveBackTaskAsync(string taskId, CancellationToken cancellationToken)
    {
        // Admission control off: no slot was taken, and tracking pays no storage call for one.
        if (!Enabled || string.IsNullOrEmpty(taskId) || taskId.Length > MaxTaskIdLength)
        {
            return false;
        }

        var rows = await ReadAllAsync(cancellationToken).ConfigureAwait(false);
        foreach (var row in rows.Values.Where(row => row.Holder is not null && string.Equals(row.TaskId, taskId, StringComparison.Ordinal)))
        {
            try
            {
                await _table.UpdateEntityAsync(new ProviderSlot { RowKey = row.RowKey }, row.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                var now = timeProvider.GetUtcNow();
                StartFrameMetrics.SlotsHeldNow(rows.Values.Count(held => held.IsHeld(now)) - 1);
                return true;
            }
            catch (RequestFailedException ex) when (ex.Status == 412)
            {
                // Changed since read: its lease ran out and another run took it, which is now that run's slot.
            }
        }

        return false;
    }

    /// <summary>
    /// When a run that found no slot, or met a 429, looks again: after ModelStream's Retry-After when it gave one, else
    /// after <see cref="StartFrameOptions.SlotRecheckDelay"/>, plus a random part of up to half that delay, so a folder of
    /// waiting uploads spreads out instead of waking at one instant. Wherever the upload stands: a slot tracking gives
    /// back wakes the front of the line at once (<see cref="LineWaker"/>), so this timed look is only the safety net for a
    /// wake that was lost (a receipt gone stale in a race, an instance that died) and need not be frequent.
    /// </summary>
    public TimeSpan NextLook(TimeSpan? retryAfter)
    {
        var delay = options.Value.SlotRecheckDelay;
        var wait = retryAfter is { } asked && asked > TimeSpan.Zero ? asked : delay;
        return wait + TimeSpan.FromTicks((long)(Random.Shared.NextDouble() * delay.Ticks / 2));
    }

    /// <summary>Whether a submission waiting since <paramref name="since"/> has waited <see cref="StartFrameOptions.SlotWaitLimit"/>.</summary>
    public bool WaitedTooLong(DateTimeOffset? since) => since is { } first && timeProvider.GetUtcNow() - first >= options.Value.SlotWaitLimit;

    /// <summary>How many slots are held now.</summary>
    public async Task<int> CountHeldAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var held = (await ReadAllAsync(cancellationToken).ConfigureAwait(false)).Values.Count(row => row.IsHeld(now));
        StartFrameMetrics.SlotsHeldNow(held);
        return held;
    }

    private async Task<Dictionary<string, ProviderSlot>> ReadAllAsync(CancellationToken cancellationToken)
    {
        var rows = new Dictionary<string, ProviderSlot>(StringComparer.Ordinal);
        await foreach (var row in _table.QueryAsync<ProviderSlot>(r => r.PartitionKey == Partition, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows[row.RowKey] = row;
        }

        return rows;
    }
}
