namespace ModelStream.Client;

/// <summary>
/// The one exception <see cref="ModelStreamClient"/> throws for a failed call, like Azure's
/// <c>RequestFailedException</c>: the HTTP status, the service's error fields, and what it means for a retry.
/// </summary>
public sealed class ModelStreamException : Exception
{
    public ModelStreamException(string message, int status, ModelStreamFailureKind kind, Exception? innerException = null)
        : base(message, innerException)
    {
        Status = status;
        Kind = kind;
    }

    /// <summary>HTTP status, or 0 when no response was received.</summary>
    public int Status { get; }

    /// <summary>Whether retrying is safe, pointless, or may charge twice.</summary>
    public ModelStreamFailureKind Kind { get; }

    /// <summary>The service's <c>error.code</c> (or top-level <c>code</c>), when it sent one.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>The service's <c>error.type</c>, when it sent one.</summary>
    public string? ErrorType { get; init; }

    /// <summary>The parameter the service blamed (<c>error.param</c>), when it sent one.</summary>
    public string? Param { get; init; }

    /// <summary>The service's own message, when it sent one.</summary>
    public string? ServiceMessage { get; init; }

    /// <summary>The <c>Retry-After</c> the service asked for, when it did.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
