namespace StartFrame.Core.Submitting;

/// <summary>The image was overwritten or deleted between its validation and its submission; nothing was sent.</summary>
public sealed class ImageChangedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ImageChangedException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public ImageChangedException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public ImageChangedException(string message)
        : base(message)
    {
    }
}
