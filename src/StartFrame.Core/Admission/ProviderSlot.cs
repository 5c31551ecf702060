using Azure;
using Azure.Data.Tables;

namespace StartFrame.Core.Admission;

/// <summary>
/// One row of <c>startframeslots</c>: one of the tasks ModelStream lets the account have unfinished at once. Free when it
/// has no holder or its lease has run out; taken and given back only with its ETag, so two runs on two instances can
/// never both hold it.
/// </summary>
public sealed class ProviderSlot : ITableEntity
{
    /// <inheritdoc />
    public string PartitionKey { get; set; } = ProviderSlots.Partition;

    /// <inheritdoc />
    public string RowKey { get; set; } = "";

    /// <inheritdoc />
    public DateTimeOffset? Timestamp { get; set; }

    /// <inheritdoc />
    public ETag ETag { get; set; }

    /// <summary>The claim id of the run that took it (before its POST); null when free.</summary>
    public string? Holder { get; set; }

    /// <summary>The task it counts for once ModelStream accepted the POST; tracking gives the slot back by this id.</summary>
    public string? TaskId { get; set; }

    /// <summary>The <see cref="WaitingLine"/> place of the upload that took it, until its POST is answered: that upload
    /// leaves the line just after taking the slot, and an upload looking in between must not count it both as holding
    /// a slot and as one ahead still owed one.</summary>
    public string? Place { get; set; }

    /// <summary>When it was taken.</summary>
    public DateTimeOffset? TakenAt { get; set; }

    /// <summary>Until when it counts though nobody gives it back (a holder that died): then it is free again.</summary>
    public DateTimeOffset? LeaseUntil { get; set; }

    /// <summary>Whether it is held at <paramref name="now"/>.</summary>
    public bool IsHeld(DateTimeOffset now) => Holder is not null && LeaseUntil > now;
}
