using StartFrame.Core.Ledger;

namespace StartFrame.Core.Submitting;

/// <summary>
/// One submission as a way in hands it over: the ledger key it is claimed under, the claim, and either a plan to send
/// or, when the input was refused, only what the failure record says (<see cref="Context"/> with its errors).
/// </summary>
/// <param name="Key">The ledger key: the upload's identity, or the idempotency key.</param>
/// <param name="Claim">This run's claim.</param>
/// <param name="Subject">What logs and outcomes name it by (<c>container/blob</c>, or the image URL as kept).</param>
/// <param name="Context">Origin, source, sidecar and correlation id for the records; its errors are why, when <paramref name="Plan"/> is null.</param>
/// <param name="Plan">How to send it; null when the input was refused.</param>
public sealed record Submission(LedgerKey Key, ClaimRequest Claim, string Subject, SubmissionPlanFailure Context, SubmissionPlan? Plan);
