using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace StartFrame.Core.Admission;

/// <summary>
/// The line of uploads waiting for a provider slot, first come first served by upload time: rows of the
/// <c>startframeslots</c> table (partition <c>line</c>) keyed by the upload's time and ledger key, so the table's own
/// order is the line's. An upload may take a free slot only while fewer live uploads stand ahead of it than slots are
/// free, so a later upload that wakes first cannot overtake it, and none starves: each slot that comes free goes to the
/// front. A row is live while its upload keeps looking (each look refreshes it); one not refreshed within
/// <see cref="StaleAfter"/> (its upload got its slot on a run that died before leaving, or was deleted) no longer holds
/// anyone back and is removed by the next upload that meets it. HTTP submissions do not queue: they take a slot that is
/// free whatever the line (a person waiting for an answer goes ahead of a folder).
/// </summary>
public sealed class WaitingLine(TableServiceClient tables, IOptions<StartFrameOptions> options, TimeProvider timeProvider, ILogger<WaitingLine> logger)
{
    /// <summary>The partition of the line's rows.</summary>
    public const string Partition = "line";

    /// <summary>Rows read per page by <see cref="FrontAsync"/>: a wake needs the first one or two live ones.</summary>
    private const int FrontPage = 16;

    private readonly TableClient _table = tables.GetTableClient(StartFrameOptions.ProviderSlotsTable);

    /// <summary>How long a row holds its place without its upload looking again: three of its waits, and a minute for a
    /// Retry-After longer than that.</summary>
    public TimeSpan StaleAfter => (options.Value.SlotRecheckDelay * 3) + TimeSpan.FromMinutes(1);

    /// <summary>The place of an upload: its upload time, then its ledger key's hash (bounded, whatever the key's length).</summary>
    public static string PlaceOf(DateTimeOffset uploadedAt, string ledgerPartitionKey, string ledgerRowKey)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ledgerPartitionKey + "\n" + ledgerRowKey)))[..32];
        return uploadedAt.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "-" + hash;
    }

    /// <summary>The places of the live uploads that stand ahead of <paramref name="place"/>; stale rows met on the way are removed.</summary>
    public async Task<IReadOnlyList<string>> AheadOfAsync(string place, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var ahead = new List<string>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey lt {place}");
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, select: ["RowKey", nameof(WaitingUpload.LastLookAt)], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (row.GetDateTimeOffset(nameof(WaitingUpload.LastLookAt)) is { } last && now - last < StaleAfter)
            {
                ahead.Add(row.RowKey);
            }
            else
            {
                await LeaveAsync(row.RowKey, cancellationToken).ConfigureAwait(false);
            }
        }

        return ahead;
    }

    /// <summary>
    /// Stands in line at <paramref name="place"/> (or refreshes the place held), saying how many stand ahead and, when the
    /// upload comes back by a re-check message, which one (<paramref name="look"/>), so a slot given back can wake it.
    /// Best effort: it runs after the claim was given back and the re-check queued, so a failure here must not fail the
    /// run (a run delivered again would queue a second re-check, and each look after it another). Not standing costs
    /// the upload its wake and its place for one look; its re-check comes back at its own time either way.
    /// </summary>
    public async Task StandAsync(string place, string subject, int ahead, PendingLook? look, CancellationToken cancellationToken)
    {
        try
        {
            await _table.UpsertEntityAsync(new WaitingUpload
            {
                RowKey = place,
                Subject = Records.RecordLimits.Cut(subject, 1024),
                Ahead = ahead,
                LastLookAt = timeProvider.GetUtcNow(),
                RecheckMessageId = look?.MessageId,
                RecheckPopReceipt = look?.PopReceipt,
            }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex)
        {
            AdmissionLog.LineNotStood(logger, place, ex.Status);
        }
    }

    /// <summary>
    /// The live uploads at the front of the line that wait for a re-check message, first first, read a page at a time
    /// (the caller stops when it has what it needs). Stale rows are passed over, not removed: this is a read.
    /// </summary>
    public async IAsyncEnumerable<(string Place, PendingLook Look)> FrontAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition}");
        string[] columns = ["RowKey", nameof(WaitingUpload.LastLookAt), nameof(WaitingUpload.RecheckMessageId), nameof(WaitingUpload.RecheckPopReceipt)];
        await foreach (var row in _table.QueryAsync<WaitingUpload>(filter, maxPerPage: FrontPage, select: columns, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (row.LastLookAt is { } last && now - last < StaleAfter
                && !string.IsNullOrEmpty(row.RecheckMessageId) && !string.IsNullOrEmpty(row.RecheckPopReceipt))
            {
                yield return (row.RowKey, new PendingLook(row.RecheckMessageId, row.RecheckPopReceipt));
            }
        }
    }

    /// <summary>Leaves the line (the upload got its slot, or gave up). Best effort: a row left behind goes stale.</summary>
    public async Task LeaveAsync(string place, CancellationToken cancellationToken)
    {
        try
        {
            await _table.DeleteEntityAsync(Partition, place, ETag.All, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex)
        {
            // 404: it never stood in line (admitted at its first look), or another run removed it.
            if (ex.Status != 404)
            {
                AdmissionLog.LineNotLeft(logger, place, ex.Status);
            }
        }
    }

    /// <summary>How many live uploads stand in line now.</summary>
    public async Task<int> LengthAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var length = 0;
        await foreach (var row in _table.QueryAsync<WaitingUpload>(r => r.PartitionKey == Partition, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (row.LastLookAt is { } last && now - last < StaleAfter)
            {
                length++;
            }
        }

        return length;
    }
}

/// <summary>One upload standing in the <see cref="WaitingLine"/>.</summary>
public sealed class WaitingUpload : ITableEntity
{
    /// <inheritdoc />
    public string PartitionKey { get; set; } = WaitingLine.Partition;

    /// <inheritdoc />
    public string RowKey { get; set; } = "";

    /// <inheritdoc />
    public DateTimeOffset? Timestamp { get; set; }

    /// <inheritdoc />
    public ETag ETag { get; set; }

    /// <summary>The upload (<c>container/blob</c>), for people reading the table.</summary>
    public string? Subject { get; set; }

    /// <summary>How many stood ahead of it at its last look.</summary>
    public int Ahead { get; set; }

    /// <summary>When its upload last looked for a slot.</summary>
    public DateTimeOffset? LastLookAt { get; set; }

    /// <summary>The id of the re-check message its upload looks again with (null: it comes back by other means).</summary>
    public string? RecheckMessageId { get; set; }

    /// <summary>The pop receipt of that message as sent: what lets a slot given back make it visible at once.</summary>
    public string? RecheckPopReceipt { get; set; }
}
