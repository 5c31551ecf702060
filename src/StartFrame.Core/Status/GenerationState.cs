namespace StartFrame.Core.Status;

/// <summary>Where ModelStream says a generation stands, as asked at one moment (the result URL is never included).</summary>
/// <param name="Status"><c>queued</c>, <c>in_progress</c>, <c>completed</c>, <c>failed</c> or <c>unknown</c>.</param>
/// <param name="Progress">Percent done, when reported.</param>
/// <param name="FailReason">ModelStream's reason, when it failed.</param>
/// <param name="CheckedAt">When ModelStream was asked.</param>
public sealed record GenerationState(string Status, int? Progress, string? FailReason, DateTimeOffset CheckedAt);
