namespace StartFrame.Core.OperatorViews;

/// <summary>Whether a failure record still stands, from what the ledger says of its image now.</summary>
public sealed record FailureResolution
{
    /// <summary><c>resolved</c> (a later submission of the same image has a task), <c>unresolved</c> (the ledger still has it
    /// failed, ambiguous, waiting…) or <c>unknown</c> (the ledger has nothing of the image: refused before any claim).</summary>
    public required string Status { get; init; }

    /// <summary>The task of the submission that resolved it.</summary>
    public string? TaskId { get; init; }

    /// <summary>The ledger state of the latest entry of the image.</summary>
    public string? LedgerState { get; init; }

    /// <summary>When the resolving task was submitted.</summary>
    public DateTimeOffset? At { get; init; }

    /// <summary>What it means, and what to do.</summary>
    public required string Detail { get; init; }

    /// <summary>The values of <see cref="Status"/>.</summary>
    public static class Statuses
    {
        /// <summary>A later submission of the same image has a task.</summary>
        public const string Resolved = "resolved";

        /// <summary>The ledger still has it refused, ambiguous or in flight.</summary>
        public const string Unresolved = "unresolved";

        /// <summary>The ledger has nothing of the image, or the record names none.</summary>
        public const string Unknown = "unknown";
    }
}
