namespace StartFrame.Cli;

/// <summary>The CLI's exit codes, the same for every command.</summary>
internal static class ExitCodes
{
    /// <summary>Everything was submitted, already done, or valid.</summary>
    public const int Ok = 0;

    /// <summary>A transient or internal failure (retry later, or read the message).</summary>
    public const int Failure = 1;

    /// <summary>The input was rejected: fix it.</summary>
    public const int Rejected = 2;
}
