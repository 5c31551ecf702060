namespace StartFrame.Core.Redrives;

/// <summary>What a sweep did with one debt.</summary>
/// <param name="Outcome">One of <see cref="OwedSweepOutcomes"/>.</param>
/// <param name="Subject">The image (container/blob) or image URL the entry submitted; its ledger key if neither is known.</param>
/// <param name="TaskId">ModelStream's task id, when the entry has one.</param>
/// <param name="Queue">The queue the record is owed to (<c>video-tracking</c> when only the first poll is owed).</param>
/// <param name="OwedSince">When the debt was noted.</param>
/// <param name="Detail">Why it is still owed (a storage error, redacted), or null.</param>
public sealed record OwedSweepItem(string Outcome, string Subject, string? TaskId, string? Queue, DateTimeOffset OwedSince, string? Detail = null);

/// <summary>The outcomes of <see cref="OwedSweepItem"/>.</summary>
public static class OwedSweepOutcomes
{
    /// <summary>The owed record (and first tracking message) is on its queue now.</summary>
    public const string Written = "written";

    /// <summary>A redelivery had written it already; the marker is crossed out.</summary>
    public const string Settled = "settled";

    /// <summary>Younger than the grace period: the redelivery on its way gets the first go.</summary>
    public const string Waiting = "waiting";

    /// <summary>The queue write failed again; the marker stays for the next sweep.</summary>
    public const string StillOwed = "still_owed";

    /// <summary>The debt cannot be swept (its keys are refused by the table, or what it owes is unreadable): reported, the
    /// marker kept for an operator, the other debts written.</summary>
    public const string Refused = "refused";

    /// <summary>A dry run: this one would be written.</summary>
    public const string WouldWrite = "would_write";
}
