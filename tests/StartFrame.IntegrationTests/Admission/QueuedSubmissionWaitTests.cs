using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using StartFrame.Core;
using StartFrame.Core.Admission;
using StartFrame.Core.Telemetry;
using StartFrame.Core.WaysIn;
using StartFrame.IntegrationTests.Infrastructure;

namespace StartFrame.IntegrationTests.Admission;

/// <summary>
/// A queued submission that finds every provider slot taken waits as a new delayed message, not as a redelivery: a
/// redelivery counts toward the host's maxDequeueCount, so a long batch would have moved it to the poison queue.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed partial class QueuedSubmissionWaitTests(AzuriteFixture azurite)
{
    private const string Message = """{"blob": "start-frames/queue-wait/cat.png", "prompt": "a cat", "duration": 5}""";

    [Fact]
    public async Task A_queued_submission_with_no_free_slot_completes_and_comes_back_delayed_as_the_same_submission()
    {
        using var capture = new TraceCapture();
        await using var harness = await PipelineHarness.StartAsync(azurite.Server, new Dictionary<string, string?> { ["ModelStream:MaxConcurrentTasks"] = "1" });
        await harness.UploadImageAsync("queue-wait/cat.png", TestImages.Png(640, 360));
        var slots = harness.Services.GetRequiredService<ProviderSlots>();
        var other = await slots.TryTakeAsync("another-run", CancellationToken.None);
        Assert.NotNull(other);
        var sent = new List<(string Text, TimeSpan Visibility)>();
        harness.StorageFaults.FailWhen(message => Observe(message, sent));
        var processor = harness.Services.GetRequiredService<ISubmissionQueueProcessor>();

        // Delivered for the fifth time: it must not throw (a throw here would be its move to the poison queue).
        await processor.ProcessAsync(Message, "queue-wait-1", dequeueCount: 5, CancellationToken.None);

        var (text, visibility) = Assert.Single(sent);
        Assert.True(visibility >= new StartFrameOptions().SlotRecheckDelay, $"sent visible after {visibility}"); // the next look (ProviderSlots.NextLook)
        Assert.Empty((await harness.Submissions.PeekMessagesAsync()).Value); // invisible until then
        Assert.Equal(0, await harness.Services.GetRequiredService<WaitingLine>().LengthAsync(CancellationToken.None)); // holds no place in line
        Assert.Equal(0, harness.Simulator.Requests.Count(r => r.Method == "POST"));
        var again = (JsonObject)JsonNode.Parse(text)!;
        var original = (JsonObject)JsonNode.Parse(Message)!;
        Assert.Equal(SubmissionKeys.DefaultQueueKey(original), SubmissionKeys.DefaultQueueKey(again));
        Assert.Equal(SubmissionKeys.BodyHash(original), SubmissionKeys.BodyHash(again));
        var firstLook = Assert.Single(capture.Spans, s => s.OperationName == SpanNames.Submission && (string?)s.GetTagItem(TagNames.CorrelationId) == "queue-wait-1");
        Assert.Equal(firstLook.Id, again["traceparent"]!.GetValue<string>()); // the next look joins the first one's trace

        // The slot comes free; the new message is delivered (a first delivery) and submits, once.
        await slots.GiveBackAsync(other, CancellationToken.None);
        await processor.ProcessAsync(text, "queue-wait-2", dequeueCount: 1, CancellationToken.None);
        await processor.ProcessAsync(Message, "queue-wait-1", dequeueCount: 6, CancellationToken.None); // a stray copy of the first

        var task = Assert.Single(await PipelineHarness.PeekAllAsync(harness.Tasks));
        Assert.Equal("queue-wait/cat.png", task["source"]!["blob"]!.GetValue<string>());
        Assert.Equal(1, harness.Simulator.Requests.Count(r => r.Method == "POST"));
        Assert.Empty(await PipelineHarness.PeekAllAsync(harness.Failures));
        Assert.Single(capture.Trace(firstLook.TraceId), s => s.OperationName == SpanNames.Submit);
    }

    // Records what the core sends to video-submissions (decoded) and its visibility delay; fails nothing.
    private static bool Observe(Azure.Core.HttpMessage message, List<(string, TimeSpan)> sent)
    {
        var uri = message.Request.Uri.ToUri();
        if (message.Request.Method == Azure.Core.RequestMethod.Post && uri.AbsolutePath.EndsWith("/" + StartFrameOptions.SubmissionsQueue + "/messages", StringComparison.Ordinal))
        {
            using var body = new MemoryStream();
            message.Request.Content!.WriteTo(body, CancellationToken.None);
            body.Position = 0;
            var encoded = XDocument.Load(body).Root!.Element("MessageText")!.Value;
            var seconds = VisibilityTimeout().Match(uri.Query) is { Success: true } match ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
            lock (sent)
            {
                sent.Add((Encoding.UTF8.GetString(Convert.FromBase64String(encoded)), TimeSpan.FromSeconds(seconds)));
            }
        }

        return false;
    }

    [GeneratedRegex("visibilitytimeout=([0-9]+)")]
    private static partial Regex VisibilityTimeout();
}
