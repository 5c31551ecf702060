namespace StartFrame.Core;

/// <summary>
/// A setting the app cannot start without is missing. The message names the setting and its accepted forms in one
/// line, so the function app and the CLI can print it as it is, without a stack trace.
/// </summary>
public sealed class MissingSettingException : InvalidOperationException
{
    /// <summary>Creates the exception for <paramref name="setting"/>.</summary>
    public MissingSettingException(string setting, string message)
        : base(message)
    {
        Setting = setting;
    }

    /// <summary>Creates the exception (serializers and analyzers want the standard constructors).</summary>
    public MissingSettingException()
        : this("", "A required setting is missing.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public MissingSettingException(string message)
        : this("", message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public MissingSettingException(string message, Exception innerException)
        : base(message, innerException)
    {
        Setting = "";
    }

    /// <summary>The setting's name as an app setting (e.g. <c>AzureWebJobsStorage</c>).</summary>
    public string Setting { get; }
}
