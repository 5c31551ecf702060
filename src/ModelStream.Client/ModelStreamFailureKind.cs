namespace ModelStream.Client;

/// <summary>How a failed submit must be treated by a caller that pays per video.</summary>
public enum ModelStreamFailureKind
{
    /// <summary>The request was refused and will be refused again (400, 401, 402, 403): do not retry.</summary>
    Permanent,

    /// <summary>ModelStream certainly did not process the request (429, 503, no connection), even after the retry budget: safe to try again later.</summary>
    Transient,

    /// <summary>The request may have been accepted (500, 502, 504, timeout or reset after sending, unreadable 200): re-sending may charge twice.</summary>
    Ambiguous,
}
