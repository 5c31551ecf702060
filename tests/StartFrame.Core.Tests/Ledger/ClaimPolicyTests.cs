using StartFrame.Core.Ledger;
using StartFrame.Core.Records;



namespace StartFrame.Core.Tests.Ledger;

/// <summary>Every branch of the claim decision, without storage: who may submit, and when a claim is ambiguous.</summary>
public sealed class ClaimPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    private static ClaimRequest Request(string? sidecarEtag = "s1", bool valid = true, string? bodyHash = null) => new()
    {
        ClaimId = "me",
        CorrelationId = "c",
        Origin = Origins.Blob,
        SidecarEtag = sidecarEtag,
        InputIsValid = valid,
        BodyHash = bodyHash,
    };

    private static (ClaimPolicy.Action, ClaimOutcome) Decide(LedgerEntry existing, ClaimRequest? request = null, AmbiguousRetry retry = AmbiguousRetry.Never) =>
        ClaimPolicy.Decide(existing, request ?? Request(), Now, Lease, retry);

    [Theory]
    [InlineData(LedgerStates.Waiting)]
    [InlineData(LedgerStates.Released)]
    [InlineData(LedgerStates.Redrive)]
    public void Entries_that_hold_no_submission_may_be_taken(string state) =>
        Assert.Equal((ClaimPolicy.Action.Take, ClaimOutcome.Claimed), Decide(new LedgerEntry { State = state }));

    [Fact]
    public void A_recorded_submission_is_never_sent_again() =>
        Assert.Equal((ClaimPolicy.Action.Report, ClaimOutcome.AlreadyRecorded), Decide(new LedgerEntry { State = LedgerStates.Recorded, TaskId = "t" }));

    [Fact]
    public void An_owed_record_is_written_before_anything_else_whatever_the_state() =>
        Assert.Equal((ClaimPolicy.Action.Report, ClaimOutcome.RecordPending), Decide(new LedgerEntry { State = LedgerStates.Submitted, RecordQueue = "video-tasks" }));

    [Fact]
    public void A_live_claim_is_left_alone() =>
        Assert.Equal((ClaimPolicy.Action.Report, ClaimOutcome.InProgress), Decide(new LedgerEntry { State = LedgerStates.Claimed, ClaimedAt = Now - Lease + TimeSpan.FromSeconds(1) }));

    [Fact]
    public void An_expired_claim_on_valid_input_is_marked_ambiguous_by_default() =>
        Assert.Equal((ClaimPolicy.Action.MarkAmbiguous, ClaimOutcome.MarkedAmbiguous), Decide(new LedgerEntry { State = LedgerStates.Claimed, ClaimedAt = Now - Lease }));

    [Fact]
    public void An_expired_claim_is_taken_over_when_resubmission_is_allowed() =>
        Assert.Equal((ClaimPolicy.Action.Take, ClaimOutcome.Claimed), Decide(new LedgerEntry { State = LedgerStates.Claimed, ClaimedAt = Now - Lease }, retry: AmbiguousRetry.Resubmit));

    [Fact]
    public void An_expired_claim_on_input_that_cannot_validate_never_reached_the_POST_and_is_taken_over() =>
        Assert.Equal((ClaimPolicy.Action.Take, ClaimOutcome.Claimed), Decide(new LedgerEntry { State = LedgerStates.Claimed, ClaimedAt = Now - Lease }, Request(valid: false)));

    [Fact]
    public void An_ambiguous_submission_waits_for_an_operator_by_default() =>
        Assert.Equal((ClaimPolicy.Action.Report, ClaimOutcome.AlreadyAmbiguous), Decide(new LedgerEntry { State = LedgerStates.Ambiguous }));

    [Fact]
    public void An_ambiguous_submission_is_resubmitted_when_configured() =>
        Assert.Equal((ClaimPolicy.Action.Take, ClaimOutcome.Claimed), Decide(new LedgerEntry { State = LedgerStates.Ambiguous }, retry: AmbiguousRetry.Resubmit));

    [Fact]
    public void A_refused_image_is_tried_again_when_its_sidecar_was_fixed() =>
        Assert.Equal((ClaimPolicy.Action.Take, ClaimOutcome.Claimed), Decide(new LedgerEntry { State = LedgerStates.Failed, FailureStage = FailureStages.Validation, SidecarEtag = "s1" }, Request(sidecarEtag: "s2")));

    [Fact]
    public void A_refused_image_with_the_same_sidecar_stays_refused() =>
        Assert.Equal((ClaimPolicy.Action.Report, ClaimOutcome.AlreadyFailed), Decide(new LedgerEntry { State = LedgerStates.Failed, FailureStage = FailureStages.Validation, SidecarEtag = "s1" }, Request(sidecarEtag: "s1")));

    [Fact]
    public void A_refusal_at_submit_charged_nothing_so_the_same_request_may_claim_its_key_again() =>
        Assert.Equal((ClaimPolicy.Action.Take, ClaimOutcome.Claimed), Decide(new LedgerEntry { State = LedgerStates.Failed, FailureStage = FailureStages.Submit, SidecarEtag = "s1", BodyHash = "h" }, Request(sidecarEtag: "s1", bodyHash: "h")));

    [Fact]
    public void A_refusal_at_submit_does_not_let_another_body_use_its_key() =>
        Assert.Equal((ClaimPolicy.Action.Report, ClaimOutcome.KeyReusedWithDifferentBody), Decide(new LedgerEntry { State = LedgerStates.Failed, FailureStage = FailureStages.Submit, BodyHash = "h1" }, Request(bodyHash: "h2")));

    [Fact]
    public void The_same_idempotency_key_with_another_body_is_refused() =>
        Assert.Equal((ClaimPolicy.Action.Report, ClaimOutcome.KeyReusedWithDifferentBody), Decide(new LedgerEntry { State = LedgerStates.Recorded, BodyHash = "h1" }, Request(bodyHash: "h2")));
}
