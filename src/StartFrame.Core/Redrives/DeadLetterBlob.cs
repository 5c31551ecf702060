namespace StartFrame.Core.Redrives;

/// <summary>
/// One blob of the dead-letter container (Event Grid writes <c>{TOPIC}/{SUBSCRIPTION}/{yyyy}/{M}/{d}/{H}/{guid}.json</c>,
/// each a JSON array of events) and what could be read of it.
/// </summary>
/// <param name="Name">The blob's name in the dead-letter container.</param>
/// <param name="Events">The events it holds; empty when unreadable.</param>
/// <param name="Problem">Why it could not be read (not JSON, not an array, too large), or null.</param>
/// <param name="RedrivenAt">When a redrive last handled every event in it (blob metadata), or null.</param>
public sealed record DeadLetterBlob(string Name, IReadOnlyList<DeadLetteredEvent> Events, string? Problem, DateTimeOffset? RedrivenAt);
