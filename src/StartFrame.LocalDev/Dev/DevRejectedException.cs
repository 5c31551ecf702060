namespace StartFrame.LocalDev.Dev;

/// <summary>What <c>startframe dev</c> was asked cannot be done here (e.g. <c>--mode func</c> without <c>func</c> on PATH); the message says what to change.</summary>
public sealed class DevRejectedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DevRejectedException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public DevRejectedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public DevRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
