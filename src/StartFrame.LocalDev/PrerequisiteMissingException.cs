namespace StartFrame.LocalDev;

/// <summary>
/// A program the local run needs is not installed (not on PATH): Node.js for Azurite, dotnet for the simulator. The message
/// is the one line to print — what is missing and how to install it — instead of the Win32Exception the start threw.
/// </summary>
public sealed class PrerequisiteMissingException : InvalidOperationException
{
    public PrerequisiteMissingException()
    {
    }

    public PrerequisiteMissingException(string message)
        : base(message)
    {
    }

    public PrerequisiteMissingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The exception for <paramref name="program"/>, which could not be started.</summary>
    public static PrerequisiteMissingException For(string program, Exception cause)
    {
        var name = Path.GetFileNameWithoutExtension(program);
        var what = name switch
        {
            "node" or "npm" => $"Node.js is not installed ('{name}' is not on PATH): Azurite, the local storage, runs on it; install Node.js 20+ with npm (https://nodejs.org, or your package manager) and run it again.",
            "dotnet" => "'dotnet' is not on PATH: the ModelStream simulator is built and run with it; install the .NET 10 SDK (https://dotnet.microsoft.com/download) and run it again.",
            _ => $"'{program}' could not be started: it is not on PATH, or not executable.",
        };
        return new PrerequisiteMissingException(what, cause);
    }
}
