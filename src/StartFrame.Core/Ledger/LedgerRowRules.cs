using StartFrame.Core.Redaction;


namespace StartFrame.Core.Ledger;

/// <summary>
/// What every write of a ledger row goes through, whichever stage writes it (submission or tracking): the
/// <see cref="Redactor"/> over every text that may carry input or a service's words, and the row limits of
/// <see cref="LedgerText"/>. One place, so a new property cannot reach the table unredacted or too long.
/// </summary>
public static class LedgerRowRules
{
    /// <summary>Applies the rules to <paramref name="entry"/> in place and returns it, ready to be written.</summary>
    public static LedgerEntry Apply(LedgerEntry entry, Redactor redactor)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(redactor);
        entry.TaskRecordJson = redactor.Text(entry.TaskRecordJson);
        entry.RecordJson = redactor.Text(entry.RecordJson);
        entry.Container = LedgerText.Fit(redactor.Text(entry.Container));
        entry.Blob = LedgerText.Fit(redactor.Text(entry.Blob));
        entry.ImageUrl = LedgerText.Fit(redactor.Text(entry.ImageUrl));
        entry.IdempotencyKey = LedgerText.Fit(redactor.Text(entry.IdempotencyKey));
        entry.Model = LedgerText.Fit(redactor.Text(entry.Model));
        entry.TaskId = LedgerText.Fit(entry.TaskId);
        entry.CorrelationId = LedgerText.Fit(redactor.Text(entry.CorrelationId));
        entry.Traceparent = LedgerText.Fit(entry.Traceparent);
        entry.LastErrorCode = LedgerText.Fit(redactor.Text(entry.LastErrorCode));
        entry.LastErrorMessage = LedgerText.Fit(redactor.Text(entry.LastErrorMessage));

        // Tracking: the first poll owed, the stored video, why a task ended without one (ModelStream's words), the
        // completion record owed.
        entry.TrackingJson = LedgerText.Fit(redactor.Text(entry.TrackingJson));
        entry.VideoContainer = LedgerText.Fit(entry.VideoContainer);
        entry.VideoBlob = LedgerText.Fit(redactor.Text(entry.VideoBlob));
        entry.CompletionErrorCode = LedgerText.Fit(redactor.Text(entry.CompletionErrorCode));
        entry.CompletionErrorMessage = LedgerText.Fit(redactor.Text(entry.CompletionErrorMessage));
        entry.CompletionRecordJson = LedgerText.Fit(redactor.Text(entry.CompletionRecordJson));
        return entry;
    }
}
