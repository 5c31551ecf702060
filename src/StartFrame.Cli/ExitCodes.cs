namespace StartFrame.Cli;

/// <summary>
/// The CLI's exit codes, one rule for every command (docs/cli.md says it once; ExitCodeRuleTests holds each command to it).
/// 2 means the same command line will be refused again: change what you typed or gave. 1 means the command line may be
/// fine: a setting, a prerequisite, storage or ModelStream failed, or the moment was wrong; fix that, or run it again later.
/// </summary>
internal static class ExitCodes
{
    /// <summary>Done: submitted, already done, valid, shown (even nothing), saved.</summary>
    public const int Ok = 0;

    /// <summary>Not done for a reason outside the command line: a setting missing or malformed, a prerequisite not
    /// installed (Node.js), storage or ModelStream failing, a task not finished yet, a claim held by another run, a timeout.</summary>
    public const int Failure = 1;

    /// <summary>Refused for what was given: a command line the parser refuses, an invalid sidecar, image or value, a name
    /// that does not exist (task id, blob, folder, queue), a file that would be overwritten, a task that ended without a video.</summary>
    public const int Rejected = 2;
}
