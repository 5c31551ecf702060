namespace StartFrame.Core.Submitting;

/// <summary>
/// Thrown so the platform delivers the event or message again: nothing was charged and the ledger already
/// allows the next delivery to try (ModelStream throttled or unreachable, or a record could not be queued).
/// </summary>
public sealed class TransientSubmissionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TransientSubmissionException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public TransientSubmissionException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public TransientSubmissionException(string message)
        : base(message)
    {
    }

    /// <summary>How long ModelStream asked us to wait, when it said.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
