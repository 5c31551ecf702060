using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;

namespace StartFrame.Core.Admission;

/// <summary>
/// The account's limit of unfinished tasks when nobody configured it (<c>ModelStream__MaxConcurrentTasks=0</c>): learned
/// from ModelStream's answers and kept in storage (row <c>limit/learned</c> of <c>startframeslots</c>, ETag-guarded), so
/// every instance and every restart starts from what the others learned. It starts small (<see cref="Initial"/>), grows
/// additively on accepted POSTs made while every slot was in use (one slot more per full round of successes), and on a
/// 429 drops below what was in use at that moment, then holds still for <see cref="ProbePause"/> before probing again,
/// so a stable account costs about one 429 per pause.
/// </summary>
public sealed class LearnedLimit(TableServiceClient tables, TimeProvider timeProvider, ILogger<LearnedLimit> logger)
{
    /// <summary>Where a fresh account starts.</summary>
    public const int Initial = 2;

    /// <summary>How long after a 429 the limit stays where it was set before it grows again.</summary>
    public static readonly TimeSpan ProbePause = TimeSpan.FromHours(1);

    private const string Partition = "limit";
    private const string Row = "learned";
    private const int MaxRaces = 5;

    private readonly TableClient _table = tables.GetTableClient(StartFrameOptions.ProviderSlotsTable);

    /// <summary>The limit to admit by now (whole slots, at least one).</summary>
    public async Task<int> CurrentAsync(CancellationToken cancellationToken) =>
        Whole((await ReadAsync(cancellationToken).ConfigureAwait(false))?.Value ?? Initial);

    /// <summary>A POST was accepted while <paramref name="held"/> slots (its own included) were in use.</summary>
    public Task AcceptedAsync(int held, CancellationToken cancellationToken) =>
        ChangeAsync(row =>
        {
            var now = timeProvider.GetUtcNow();
            var whole = Whole(row.Value);
            // Only a full house says anything about the limit; growing while slots were idle would learn nothing.
            if (held < whole || (row.ProbeAfter is { } after && now < after))
            {
                return false;
            }

            row.Value += 1.0 / whole;
            return true;
        }, cancellationToken);

    /// <summary>ModelStream answered 429 while <paramref name="held"/> slots (the refused one included) were in use.</summary>
    public Task ThrottledAsync(int held, CancellationToken cancellationToken) =>
        ChangeAsync(row =>
        {
            row.Value = Math.Max(1, Math.Min(Whole(row.Value), held) - 1);
            row.ProbeAfter = timeProvider.GetUtcNow() + ProbePause;
            return true;
        }, cancellationToken);

    private static int Whole(double value) => Math.Max(1, (int)Math.Floor(value + 1e-9));

    private async Task<LearnedLimitRow?> ReadAsync(CancellationToken cancellationToken)
    {
        var response = await _table.GetEntityIfExistsAsync<LearnedLimitRow>(Partition, Row, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>Read, change, write back if unchanged (or insert); a lost race reads again. Best effort: the limit is a
    /// guide, and a write that keeps failing only leaves it where it was.</summary>
    private async Task ChangeAsync(Func<LearnedLimitRow, bool> change, CancellationToken cancellationToken)
    {
        try
        {
            for (var race = 0; race < MaxRaces; race++)
            {
                var row = await ReadAsync(cancellationToken).ConfigureAwait(false);
                var fresh = row is null;
                row ??= new LearnedLimitRow { PartitionKey = Partition, RowKey = Row, Value = Initial };
                if (!change(row))
                {
                    return;
                }

                try
                {
                    if (fresh)
                    {
                        await _table.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        await _table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                    }

                    AdmissionLog.LimitLearned(logger, row.Value);
                    return;
                }
                catch (RequestFailedException ex) when (ex.Status is 409 or 412)
                {
                    // Another instance changed it first: apply this change to theirs.
                }
            }
        }
        catch (RequestFailedException ex)
        {
            AdmissionLog.LimitNotSaved(logger, ex.Status);
        }
    }
}

/// <summary>The learned limit as stored.</summary>
public sealed class LearnedLimitRow : ITableEntity
{
    /// <inheritdoc />
    public string PartitionKey { get; set; } = "";

    /// <inheritdoc />
    public string RowKey { get; set; } = "";

    /// <inheritdoc />
    public DateTimeOffset? Timestamp { get; set; }

    /// <inheritdoc />
    public ETag ETag { get; set; }

    /// <summary>The limit, with the fraction additive growth has reached.</summary>
    public double Value { get; set; }

    /// <summary>No growth before this time (set by a 429).</summary>
    public DateTimeOffset? ProbeAfter { get; set; }
}
