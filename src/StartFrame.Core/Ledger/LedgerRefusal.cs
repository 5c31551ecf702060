using StartFrame.Core.Records;


namespace StartFrame.Core.Ledger;

/// <summary>
/// How a submission ended without a task, as the ledger keeps it: the state it leaves the entry in, the stage, and the
/// first error with a one-line summary of all of them (the failure record has the detail).
/// </summary>
/// <param name="State">A <see cref="LedgerStates"/> value: failed, ambiguous or released.</param>
/// <param name="Stage">A <see cref="FailureStages"/> value.</param>
/// <param name="Code">The first error's code.</param>
/// <param name="Summary">Every error, <c>field: message</c>, joined.</param>
/// <param name="More">What the summary says of errors the record left out (<c> (and 3 more)</c>), or empty.</param>
/// <param name="Attempts">The entry's count of transient failures after this one; null leaves it as it is.</param>
public sealed record LedgerRefusal(string State, string Stage, string Code, string Summary, string More, int? Attempts = null)
{
    /// <summary>The refusal a failure record describes, leaving the entry in <paramref name="state"/>.</summary>
    public static LedgerRefusal Of(FailureRecord record, string state, int? attempts = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        var summary = string.Join("; ", record.Errors.Select(e => $"{e.Field}: {e.Message}"));
        var more = record.ErrorCount > record.Errors.Count ? $" (and {record.ErrorCount - record.Errors.Count} more)" : "";
        return new LedgerRefusal(state, record.Stage, record.Errors[0].Code, summary, more, attempts);
    }
}
