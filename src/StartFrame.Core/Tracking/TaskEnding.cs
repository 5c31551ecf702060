using StartFrame.Core.Records;

namespace StartFrame.Core.Tracking;

/// <summary>How a poll found a task ended: with a video to copy, or with the reason there is none.</summary>
/// <param name="Status">A <see cref="CompletionStatuses"/> terminal value.</param>
/// <param name="ResultUrl">The signed result URL (succeeded); never logged with its query.</param>
/// <param name="Error">Why there is no video (failed, timed out).</param>
/// <param name="Generation">ModelStream's status at the last poll, when it answered.</param>
/// <param name="Progress">Percent done at the last poll.</param>
public sealed record TaskEnding(string Status, Uri? ResultUrl, CompletionError? Error, string? Generation, int? Progress)
{
    /// <summary>The longest reason kept from ModelStream (its text reaches records and logs).</summary>
    public const int MaxReasonLength = 1000;

    /// <summary>Finished with a video.</summary>
    public static TaskEnding Succeeded(Uri resultUrl, int? progress) => new(CompletionStatuses.Succeeded, resultUrl, null, "completed", progress);

    /// <summary>Ended without a video.</summary>
    public static TaskEnding Failed(string code, string reason, string? generation = null, int? progress = null) =>
        new(CompletionStatuses.Failed, null, new CompletionError(code, Shorten(reason)), generation, progress);

    /// <summary>Still unfinished at the horizon.</summary>
    public static TaskEnding TimedOut(string message, string? generation, int? progress) =>
        new(CompletionStatuses.TimedOut, null, new CompletionError(CompletionErrorCodes.HorizonReached, message), generation, progress);

    private static string Shorten(string text)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length <= MaxReasonLength ? line : line[..MaxReasonLength] + "…";
    }
}
