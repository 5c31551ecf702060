using StartFrame.Core.Ledger;


namespace StartFrame.Core.OperatorViews;

/// <summary>Which ledger entries <see cref="LedgerReader"/> lists: by state, and by the image's blob name prefix.</summary>
public sealed record LedgerQuery
{
    /// <summary>One of <see cref="LedgerStates"/>, or null for every state.</summary>
    public string? State { get; init; }

    /// <summary>Entries whose image is a blob of the uploads container named with this prefix (<c>batch1/</c>); null for all entries.</summary>
    public string? BlobPrefix { get; init; }

    /// <summary>The states an entry can be in, for a one-line refusal of any other.</summary>
    public static IReadOnlyList<string> States { get; } =
    [
        LedgerStates.Waiting, LedgerStates.Claimed, LedgerStates.Submitted, LedgerStates.Recorded,
        LedgerStates.Failed, LedgerStates.Ambiguous, LedgerStates.Released, LedgerStates.Redrive,
    ];
}
