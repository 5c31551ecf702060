using StartFrame.Core.Records;

namespace StartFrame.Core.Ledger;

/// <summary>
/// What a run could not queue after ModelStream answered, kept on the ledger entry until a redelivery or the sweep
/// writes it: a record owed to <paramref name="RecordQueue"/> (a failure record's JSON in <paramref name="RecordJson"/>;
/// an owed task record is the entry's own copy), and the first tracking message.
/// </summary>
/// <param name="RecordQueue">The queue a record is owed to, or null when only the first poll is owed.</param>
/// <param name="RecordJson">The owed failure record; null for a task record (the entry keeps it anyway).</param>
/// <param name="TrackingJson">The first tracking message, when it is owed.</param>
public sealed record OwedWrites(string? RecordQueue, string? RecordJson, string? TrackingJson);
