namespace StartFrame.Core.Ledger;

/// <summary>The states of a ledger entry. Only <see cref="Claimed"/> guards a POST in flight.</summary>
public static class LedgerStates
{
    /// <summary>An image arrived before its sidecar: nothing sent, processed when the sidecar lands.</summary>
    public const string Waiting = "waiting";

    /// <summary>One run holds the right to submit, until its lease runs out.</summary>
    public const string Claimed = "claimed";

    /// <summary>ModelStream accepted the task but the record is not on the queue yet: the next delivery writes it.</summary>
    public const string Submitted = "submitted";

    /// <summary>The task record is on the queue. Done.</summary>
    public const string Recorded = "recorded";

    /// <summary>Refused for good (validation or a 4xx); a failure record was written.</summary>
    public const string Failed = "failed";

    /// <summary>The POST may or may not have been accepted; re-sending could charge twice.</summary>
    public const string Ambiguous = "ambiguous";

    /// <summary>A transient failure gave the claim back; the next delivery may claim it again.</summary>
    public const string Released = "released";

    /// <summary>An operator asked for another try (<c>startframe redrive</c>).</summary>
    public const string Redrive = "redrive";
}
