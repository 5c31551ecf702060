using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using StartFrame.Core;
using StartFrame.Core.Admission;
using StartFrame.Core.Tracking;
using StartFrame.Core.WaysIn;
using StartFrame.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace StartFrame.IntegrationTests.Admission;

/// <summary>
/// A folder of start frames against an account that allows a few unfinished tasks: two instances submit only while a
/// provider slot (a row in storage) is free, the rest wait as delayed re-check messages, tracking gives each slot back
/// when its task ends. Real HTTP to the simulator, real Azurite, a fake clock.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class TwoInstanceAdmissionTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    [Fact]
    public async Task Forty_uploads_over_two_instances_against_four_slots_all_become_videos_with_almost_no_429s()
    {
        await using var harness = await AdmissionHarness.StartAsync(azurite.Server, configuredLimit: 4, simulatorLimit: 4);
        var start = harness.Clock.GetUtcNow();

        var first = await harness.DropFolderAsync(40);
        await harness.Queues.RunUntilIdleAsync();

        var elapsed = harness.Clock.GetUtcNow() - start;
        output.WriteLine($"POSTs {harness.Posts}, 429s {harness.Throttled}, fake time {elapsed.TotalSeconds:0} s (ideal {10 * AdmissionHarness.Generation.TotalSeconds:0} s), " +
            $"re-check deliveries {harness.Queues.Deliveries[StartFrameOptions.RechecksQueue]}, tracking deliveries {harness.Queues.Deliveries[StartFrameOptions.TrackingQueue]}");

        Assert.Equal(4, first.Count(o => o.Status == OutcomeStatus.Submitted));
        Assert.Equal(36, first.Count(o => o.Status == OutcomeStatus.WaitingForSlot));
        var completions = await AssertOneVideoPerImageAsync(harness, 40);
        Assert.All(completions, c => Assert.Equal("succeeded", c["status"]!.GetValue<string>()));
        Assert.Equal(40, (await harness.First.VideoBlobsAsync()).Count);
        Assert.True(harness.Throttled <= harness.Posts * 0.05, $"{harness.Throttled} of {harness.Posts} POSTs were 429s");
    }

    [Fact]
    public async Task Without_a_known_limit_two_instances_learn_it_and_keep_it_in_storage()
    {
        await using var harness = await AdmissionHarness.StartAsync(azurite.Server, configuredLimit: 0, simulatorLimit: 4);
        var start = harness.Clock.GetUtcNow();

        await harness.DropFolderAsync(40);
        await harness.Queues.RunUntilIdleAsync();

        var learned = await harness.First.Services.GetRequiredService<LearnedLimit>().CurrentAsync(CancellationToken.None);
        output.WriteLine($"learned {learned}; POSTs {harness.Posts}, 429s {harness.Throttled}, fake time {(harness.Clock.GetUtcNow() - start).TotalSeconds:0} s");
        await AssertOneVideoPerImageAsync(harness, 40);
        Assert.True(harness.Throttled <= harness.Posts * 0.05, $"{harness.Throttled} of {harness.Posts} POSTs were 429s");
        // Grown from where it started; how far past the account's 4 depends on how soon tracking saw tasks end (a slot
        // counts until then), and a 429 brings it back down.
        Assert.InRange(learned, LearnedLimit.Initial + 1, 6);

        // A restarted instance starts from what was learned, not from the beginning.
        await using var restarted = harness.First.StartAnotherInstance(harness.Clock);
        Assert.Equal(learned, await restarted.GetRequiredService<LearnedLimit>().CurrentAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_learned_limit_drops_on_a_429_and_nothing_fails()
    {
        // The account allows one; learning starts at two, so two uploads at once meet a 429.
        await using var harness = await AdmissionHarness.StartAsync(azurite.Server, configuredLimit: 0, simulatorLimit: 1,
            new Dictionary<string, string?> { ["StartFrame:MaxSubmitAttempts"] = "1" });

        await harness.DropFolderAsync(3);
        await harness.Queues.RunUntilIdleAsync();

        Assert.True(harness.Throttled >= 1, "two at once against an account of one met no 429: the test proves nothing");
        Assert.Equal(1, await harness.Second.GetRequiredService<LearnedLimit>().CurrentAsync(CancellationToken.None));
        await AssertOneVideoPerImageAsync(harness, 3);
    }

    [Fact]
    public async Task A_429_is_not_an_attempt_when_the_account_has_fewer_slots_than_configured()
    {
        // Configured 4, but the account allows 2 (another user of the key, a plan changed): 429s happen, and each only
        // gives the slot back and waits; one attempt allowed, yet nothing fails.
        await using var harness = await AdmissionHarness.StartAsync(azurite.Server, configuredLimit: 4, simulatorLimit: 2,
            new Dictionary<string, string?> { ["StartFrame:MaxSubmitAttempts"] = "1" });

        await harness.DropFolderAsync(8);
        await harness.Queues.RunUntilIdleAsync();

        Assert.True(harness.Throttled > 0, "the account's lower limit was never met: the test proves nothing");
        await AssertOneVideoPerImageAsync(harness, 8);
    }

    [Fact]
    public async Task Uploads_beyond_the_limit_wait_as_invisible_recheck_messages_not_as_deliveries()
    {
        await using var harness = await AdmissionHarness.StartAsync(azurite.Server, configuredLimit: 1, simulatorLimit: 1);

        var outcomes = await harness.DropFolderAsync(3);

        Assert.Equal(1, outcomes.Count(o => o.Status == OutcomeStatus.Submitted));
        var waiting = outcomes.Where(o => o.Status == OutcomeStatus.WaitingForSlot).ToList();
        Assert.Equal(2, waiting.Count);
        // Both stand at the front of the line (fewer than twice the limit ahead): they look again often, not at once.
        Assert.All(waiting, o => Assert.True(o.RetryAfter >= TimeSpan.FromSeconds(15) / 8, $"looks again after {o.RetryAfter}"));
        var rechecks = await PipelineHarness.PeekAllAsync(new QueueClient(azurite.Server.ConnectionString, StartFrameOptions.RechecksQueue, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }));
        Assert.Equal(2, rechecks.Count);
        Assert.Equal(1, harness.Posts);
        foreach (var outcome in waiting)
        {
            var entry = await harness.First.LedgerEntryOfAsync(harness.First.Uploads.GetBlobClient(outcome.Subject["start-frames/".Length..]));
            Assert.Equal("released", entry!.State);
            Assert.Equal(0, entry.Attempts);
            Assert.Equal("waiting_for_slot", entry.LastErrorCode);
        }
    }

    /// <summary>
    /// Every image became exactly one video: no delivery failed, one completion record each, no failure record, nothing
    /// poisoned or left on a queue, one task issued per image. Returns the completion records (read off their queue).
    /// </summary>
    private static async Task<IReadOnlyList<System.Text.Json.Nodes.JsonObject>> AssertOneVideoPerImageAsync(AdmissionHarness harness, int images)
    {
        Assert.Empty(harness.Queues.Failures);
        var completions = await AllAsync(harness.First.Completions);
        Assert.Equal(images, completions.Count);
        Assert.Empty(await AllAsync(harness.First.Failures));
        await AssertNoPoisonAsync(harness);
        var tasks = harness.TasksPerImage();
        Assert.Equal(images, tasks.Count);
        Assert.All(tasks, t => Assert.Equal(1, t.Value));
        return completions;
    }

    private static async Task AssertNoPoisonAsync(AdmissionHarness harness)
    {
        foreach (var name in new[] { StartFrameOptions.RechecksQueue + "-poison", StartFrameOptions.TrackingQueue + "-poison", StartFrameOptions.RechecksQueue, StartFrameOptions.TrackingQueue })
        {
            var queue = new QueueClient(harness.First.Azurite.ConnectionString, name);
            Assert.False(await queue.ExistsAsync() && (await queue.PeekMessagesAsync(1)).Value.Length > 0, $"{name} is not empty");
        }
    }

    private static async Task<IReadOnlyList<System.Text.Json.Nodes.JsonObject>> AllAsync(QueueClient queue)
    {
        var all = new List<System.Text.Json.Nodes.JsonObject>();
        var seen = new HashSet<string>();
        // Peek shows at most 32: receive (and hide) every message to count them all.
        while (true)
        {
            var batch = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5))).Value;
            if (batch.Length == 0)
            {
                return all;
            }

            foreach (var message in batch.Where(m => seen.Add(m.MessageId)))
            {
                all.Add(System.Text.Json.Nodes.JsonNode.Parse(message.Body.ToString())!.AsObject());
            }
        }
    }
}
