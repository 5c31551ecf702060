using ModelStream.Simulator;
using StartFrame.Core.Submitting;
using StartFrame.Core.WaysIn;
using StartFrame.IntegrationTests.Infrastructure;

namespace StartFrame.IntegrationTests;

/// <summary>
/// The fault matrix at the submit stage: what each ModelStream failure ends as — outcome, POSTs received,
/// ledger state, and the queues — and that a second delivery never re-sends what may have been charged.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class SubmitFaultTests(AzuriteFixture azurite)
{
    public static TheoryData<string, SimulatedFault, string, int, string, int, (bool Retryable, bool Ambiguous)?, string> Matrix => new()
    {
        // name, fault (once), outcome, POSTs, ledger state, task records, failure record (retryable, ambiguous; null = none),
        // what a second delivery comes to: what may have been charged is never sent again; a refusal that charged
        // nothing does not burn its key, so with the cause gone (the fault was once) the second delivery submits.
        { "429 + Retry-After, then ok", new SimulatedFault { Status = 429, RetryAfter = 1 }, OutcomeStatus.Submitted, 2, "recorded", 1, null, OutcomeStatus.AlreadySubmitted },
        { "503, then ok", new SimulatedFault { Status = 503 }, OutcomeStatus.Submitted, 2, "recorded", 1, null, OutcomeStatus.AlreadySubmitted },
        { "500", new SimulatedFault { Status = 500 }, OutcomeStatus.Ambiguous, 1, "ambiguous", 0, (false, true), OutcomeStatus.Ambiguous },
        { "502", new SimulatedFault { Status = 502 }, OutcomeStatus.Ambiguous, 1, "ambiguous", 0, (false, true), OutcomeStatus.Ambiguous },
        { "504", new SimulatedFault { Status = 504 }, OutcomeStatus.Ambiguous, 1, "ambiguous", 0, (false, true), OutcomeStatus.Ambiguous },
        { "timeout after sending", new SimulatedFault { DelayMs = 5000 }, OutcomeStatus.Ambiguous, 1, "ambiguous", 0, (false, true), OutcomeStatus.Ambiguous },
        { "reset mid-response", new SimulatedFault { Reset = true }, OutcomeStatus.Ambiguous, 1, "ambiguous", 0, (false, true), OutcomeStatus.Ambiguous },
        { "garbage 200 body", new SimulatedFault { Garbage = true }, OutcomeStatus.Ambiguous, 1, "ambiguous", 0, (false, true), OutcomeStatus.Ambiguous },
        { "400", new SimulatedFault { Status = 400, Param = "duration" }, OutcomeStatus.Rejected, 1, "failed", 0, (false, false), OutcomeStatus.Submitted },
        { "401", new SimulatedFault { Status = 401 }, OutcomeStatus.Rejected, 1, "failed", 0, (true, false), OutcomeStatus.Submitted },
        { "402", new SimulatedFault { Status = 402 }, OutcomeStatus.Rejected, 1, "failed", 0, (true, false), OutcomeStatus.Submitted },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Submit_fault_ends_as_specified_and_a_redelivery_never_sends_what_may_have_been_charged(
        string name, SimulatedFault fault, string outcome, int posts, string ledgerState, int taskRecords, (bool Retryable, bool Ambiguous)? failureRecord, string secondDelivery)
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        await harness.UploadSidecarAsync("fault.json", Sidecars.Valid);
        var image = await harness.UploadImageAsync("fault.png", TestImages.Png(640, 360));
        harness.Simulator.AddFaults(fault);

        var result = await harness.Processor.ProcessBlobAsync(image, "corr-fault", CancellationToken.None);
        var stateAfterFirst = (await harness.LedgerEntryOfAsync(image))!.State;
        var tasksAfterFirst = (await PipelineHarness.PeekAllAsync(harness.Tasks)).Count;
        var failures = await PipelineHarness.PeekAllAsync(harness.Failures);
        var postsAfterFirst = harness.Simulator.PostCount;
        var again = await harness.Processor.ProcessBlobAsync(image, "corr-again", CancellationToken.None);

        Assert.True(outcome == result.Status, $"{name}: expected {outcome}, got {result.Status}");
        Assert.Equal(posts, postsAfterFirst);
        Assert.Equal(ledgerState, stateAfterFirst);
        Assert.Equal(taskRecords, tasksAfterFirst);
        if (failureRecord is not { } expected)
        {
            Assert.Empty(failures);
        }
        else
        {
            var failure = Assert.Single(failures);
            Assert.Empty(await RecordSchemas.FailureRecordErrorsAsync(failure.ToJsonString()));
            Assert.Equal("submit", failure["stage"]!.GetValue<string>());
            Assert.Equal(expected, (failure["retryable"]!.GetValue<bool>(), failure["ambiguous"]!.GetValue<bool>()));
            Assert.Equal("corr-fault", failure["correlationId"]!.GetValue<string>());
        }

        Assert.True(secondDelivery == again.Status, $"{name}, second delivery: expected {secondDelivery}, got {again.Status}");
        Assert.Equal(again.Status == OutcomeStatus.Submitted ? posts + 1 : posts, harness.Simulator.PostCount);
        Assert.DoesNotContain(harness.Logs.Lines, l => l.Contains(PipelineHarness.ApiKey, StringComparison.Ordinal) || l.Contains("sig=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Throttling_that_outlasts_the_retry_budget_is_retried_by_redelivery_then_recorded_as_failed()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server, new Dictionary<string, string?>
        {
            ["StartFrame:MaxSubmitAttempts"] = "2",
            ["ModelStream:MaxRetries"] = "1",
        });
        await harness.UploadSidecarAsync("busy.json", Sidecars.Valid);
        var image = await harness.UploadImageAsync("busy.png", TestImages.Png(640, 360));
        harness.Simulator.AddFaults(new SimulatedFault { Status = 429, Times = 0 });

        var first = await Assert.ThrowsAsync<TransientSubmissionException>(() => harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None));
        Assert.Contains("attempt 1 of 2", first.Message, StringComparison.Ordinal);
        Assert.Equal("released", (await harness.LedgerEntryOfAsync(image))!.State);
        Assert.Empty(await PipelineHarness.PeekAllAsync(harness.Failures));

        var last = await harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None);

        Assert.Equal(OutcomeStatus.Failed, last.Status);
        Assert.Equal(4, harness.Simulator.PostCount); // 2 deliveries x (1 try + 1 retry); 429s are never charged
        var failure = Assert.Single(await PipelineHarness.PeekAllAsync(harness.Failures));
        Assert.True(failure["retryable"]!.GetValue<bool>());
        Assert.False(failure["ambiguous"]!.GetValue<bool>());
        Assert.Equal("rate_limit_exceeded", failure["errors"]![0]!["code"]!.GetValue<string>());
        Assert.Empty(await PipelineHarness.PeekAllAsync(harness.Tasks));
    }
}
