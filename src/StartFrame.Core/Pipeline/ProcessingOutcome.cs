namespace StartFrame.Core.Pipeline;

/// <summary>What processing one blob came to. Placeholder shape; filled in by the walking skeleton.</summary>
public sealed record ProcessingOutcome(string Outcome, string Blob);
