namespace StartFrame.Core.Records;

/// <summary>How a task ended: the <c>status</c> of its completion record and the ledger's terminal tracking state.</summary>
public static class CompletionStatuses
{
    /// <summary>The video is in the <c>videos</c> container.</summary>
    public const string Succeeded = "succeeded";

    /// <summary>ModelStream failed the generation, no longer knows the task, or the result URL expired before the copy.</summary>
    public const string Failed = "failed";

    /// <summary>The task was still unfinished at the tracking horizon (<c>StartFrame:TrackingHorizon</c> after submission).</summary>
    public const string TimedOut = "timed_out";

    /// <summary>Not terminal: a run holds the completion claim (copy and record).</summary>
    public const string Finishing = "finishing";

    /// <summary>True for the three terminal states.</summary>
    public static bool IsTerminal(string? state) => state is Succeeded or Failed or TimedOut;
}
