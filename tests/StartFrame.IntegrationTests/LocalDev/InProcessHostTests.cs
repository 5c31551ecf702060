using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using ModelStream.Simulator;
using StartFrame.Core;
using StartFrame.Core.Storage;
using StartFrame.IntegrationTests.Infrastructure;
using StartFrame.LocalDev;
using StartFrame.LocalDev.InProcess;

namespace StartFrame.IntegrationTests.LocalDev;

/// <summary>
/// The function app without Core Tools — `startframe dev`'s in-process host over real Azurite and the simulator:
/// uploads, the HTTP API and the submissions queue behave as under the Functions host, with host.json's queue settings.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class InProcessHostTests(AzuriteFixture azurite)
{
    private sealed record Session(PipelineHarness Harness, InProcessFunctionHost Host, ActivityLog Activity, QueueClient Poison) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Host.DisposeAsync();
            await Harness.DisposeAsync();
        }
    }

    private async Task<Session> StartAsync()
    {
        var harness = await PipelineHarness.StartAsync(azurite.Server, new Dictionary<string, string?> { ["ModelStream:MaxRetries"] = "0" });
        var poison = new QueueClient(azurite.Server.ConnectionString, StartFrameOptions.SubmissionsQueue + "-poison", QueueMessages.ClientOptions());
        await poison.DeleteIfExistsAsync();
        var activity = new ActivityLog();

        // host.json as it is, except that a failed message is visible again at once instead of after 30 s.
        var hostJson = HostJson.Read(RepoLayout.Find().HostJson);
        var host = await InProcessFunctionHost.StartAsync(
            new InProcessHostOptions
            {
                Settings = harness.Settings,
                Host = hostJson with { Queues = hostJson.Queues with { VisibilityTimeout = TimeSpan.Zero } },
                WatchInterval = TimeSpan.FromMilliseconds(100),
                Report = activity.Add,
            },
            CancellationToken.None);
        return new Session(harness, host, activity, poison);
    }

    [Fact]
    public async Task Uploaded_pair_becomes_one_task_record_with_origin_blob()
    {
        await using var session = await StartAsync();

        await session.Harness.UploadSidecarAsync("dev/cat.json", Sidecars.Valid);
        await session.Harness.UploadImageAsync("dev/cat.png", TestImages.Png(640, 360));
        var submitted = await session.Activity.WaitForAsync(a => a.Kind == "blob" && a.Status == "submitted", "blob submitted");

        var record = Assert.Single(await PipelineHarness.PeekAllAsync(session.Harness.Tasks));
        Assert.Equal(submitted.TaskId, record["taskId"]!.GetValue<string>());
        Assert.Equal("blob", record["origin"]!.GetValue<string>());
        Assert.Equal("dev/cat.png", record["source"]!["blob"]!.GetValue<string>());
        Assert.Empty(await RecordSchemas.TaskRecordErrorsAsync(record.ToJsonString()));
        Assert.Equal(1, session.Harness.Simulator.PostCount);
    }

    [Fact]
    public async Task Http_post_answers_202_with_a_location_that_get_answers_200()
    {
        await using var session = await StartAsync();
        await session.Harness.UploadImageAsync("http/cat.png", TestImages.Png(640, 360));
        using var http = new HttpClient { BaseAddress = session.Host.ApiBaseAddress };

        using var post = await http.PostAsync(
            "videos", new StringContent("""{"blob": "start-frames/http/cat.png", "prompt": "The cat yawns."}""", Encoding.UTF8, "application/json"));
        var location = post.Headers.Location;
        using var get = await http.GetAsync(new Uri(post.RequestMessage!.RequestUri!, location!)); // resolved as a client resolves it

        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        var record = JsonNode.Parse(await post.Content.ReadAsStringAsync())!;
        Assert.Equal($"videos/{record["taskId"]!.GetValue<string>()}", location!.OriginalString);
        Assert.Equal(new Uri(session.Host.ApiBaseAddress, $"videos/{record["taskId"]!.GetValue<string>()}"), new Uri(post.RequestMessage!.RequestUri!, location)); // = $STARTFRAME_API/videos/{taskId}
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(record["taskId"]!.GetValue<string>(), JsonNode.Parse(await get.Content.ReadAsStringAsync())!["taskId"]!.GetValue<string>());
        Assert.Equal("http", Assert.Single(await PipelineHarness.PeekAllAsync(session.Harness.Tasks))["origin"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_task_answers_404_problem_details_as_the_function_does()
    {
        await using var session = await StartAsync();
        using var http = new HttpClient { BaseAddress = session.Host.ApiBaseAddress };

        using var get = await http.GetAsync("videos/no-such-task");

        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal("application/problem+json", get.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Submission_message_becomes_one_task_record_with_origin_queue()
    {
        await using var session = await StartAsync();
        await session.Harness.UploadImageAsync("queue/cat.png", TestImages.Png(640, 360));

        await session.Harness.Submissions.SendMessageAsync("""{"blob": "start-frames/queue/cat.png", "prompt": "q", "correlationId": "dev-queue-1"}""");
        await session.Activity.WaitForAsync(a => a.Kind == "queue" && a.Status == "done", "queue message done");

        var record = Assert.Single(await PipelineHarness.PeekAllAsync(session.Harness.Tasks));
        Assert.Equal("queue", record["origin"]!.GetValue<string>());
        Assert.Equal("dev-queue-1", record["correlationId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Message_failing_transiently_is_delivered_maxDequeueCount_times_then_moved_to_the_poison_queue()
    {
        await using var session = await StartAsync();
        await session.Harness.UploadImageAsync("queue/cat.png", TestImages.Png(640, 360));
        session.Harness.Simulator.AddFaults(new SimulatedFault { Status = 503, Times = 0 });

        await session.Harness.Submissions.SendMessageAsync("""{"blob": "start-frames/queue/cat.png", "prompt": "q"}""");
        var poisoned = await session.Activity.WaitForAsync(a => a.Kind == "queue" && a.Status == "poisoned", "poisoned message");

        var maxDequeueCount = HostJson.Read(RepoLayout.Find().HostJson).Queues.MaxDequeueCount;
        Assert.Equal(maxDequeueCount, session.Harness.Simulator.PostCount); // one POST per delivery (no client retries here)
        Assert.Equal(maxDequeueCount - 1, session.Activity.Seen.Count(a => a.Kind == "queue" && a.Status == "retrying"));
        Assert.Contains($"delivery {maxDequeueCount} of {maxDequeueCount}", poisoned.Detail, StringComparison.Ordinal);
        var moved = Assert.Single((await session.Poison.PeekMessagesAsync(32)).Value);
        Assert.Equal("start-frames/queue/cat.png", JsonNode.Parse(moved.Body.ToString())!["blob"]!.GetValue<string>());
        Assert.Empty(await PipelineHarness.PeekAllAsync(session.Harness.Tasks));
        Assert.Equal(0, (await session.Harness.Submissions.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task Message_that_is_not_base64_is_moved_as_it_is_to_the_poison_queue_and_the_queue_keeps_flowing()
    {
        await using var session = await StartAsync();
        await session.Harness.UploadImageAsync("queue/cat.png", TestImages.Png(640, 360));
        var plain = new QueueClient(azurite.Server.ConnectionString, StartFrameOptions.SubmissionsQueue, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        const string notBase64 = """{"blob": "start-frames/queue/cat.png", "prompt": "sent without base64"}""";

        await plain.SendMessageAsync(notBase64);
        await session.Activity.WaitForAsync(a => a.Kind == "queue" && a.Status == "poisoned", "poisoned message");
        await session.Harness.Submissions.SendMessageAsync("""{"blob": "start-frames/queue/cat.png", "prompt": "q"}""");
        await session.Activity.WaitForAsync(a => a.Kind == "queue" && a.Status == "done", "queue message done");

        var poison = new QueueClient(azurite.Server.ConnectionString, session.Poison.Name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        Assert.Equal(notBase64, Assert.Single((await poison.PeekMessagesAsync(32)).Value).Body.ToString());
        Assert.Equal("queue", Assert.Single(await PipelineHarness.PeekAllAsync(session.Harness.Tasks))["origin"]!.GetValue<string>());
    }
}
