namespace StartFrame.Core.Redrives;

/// <summary>What became of one message of a poison queue.</summary>
/// <param name="MessageId">The poisoned message's id.</param>
/// <param name="Status"><c>moved</c>, <c>failed</c>, <c>skipped</c> (left for a person), or with a dry run <c>would_move</c> / <c>would_skip</c>.</param>
/// <param name="IdempotencyKey">For a submission, the key the queue path will use for it.</param>
/// <param name="KeyDerived">True when that key is derived from the body (the message named none).</param>
/// <param name="InsertedOn">When the host poisoned it.</param>
/// <param name="Note">Why it was skipped or failed, or what else to know.</param>
public sealed record PoisonRedriveItem(string MessageId, string Status, string? IdempotencyKey, bool KeyDerived, DateTimeOffset? InsertedOn, string? Note);
