using ModelStream.Client;

namespace ModelStream.Tests;

public sealed class ClientPollTests
{
    [Fact]
    public async Task Poll_of_a_submitted_task_reads_it_as_queued()
    {
        await using var harness = await ClientHarness.StartAsync();
        var submitted = await harness.Client.SubmitAsync(ClientHarness.SampleRequest());

        var status = await harness.Client.GetTaskAsync(submitted.TaskId);

        Assert.Equal(new VideoTaskStatus(submitted.TaskId, VideoTaskStatus.Queued, 0, null, null), status);
        Assert.False(status.IsFinished);
    }

    [Fact]
    public async Task Poll_of_an_unknown_task_is_permanent_task_not_exist()
    {
        await using var harness = await ClientHarness.StartAsync();

        var failure = await Assert.ThrowsAsync<ModelStreamException>(() => harness.Client.GetTaskAsync("nosuchtask00"));

        Assert.Equal(ModelStreamFailureKind.Permanent, failure.Kind);
        Assert.Equal("task_not_exist", failure.ErrorCode);
        Assert.Equal("ModelStream could not report task 'nosuchtask00' (400 task_not_exist, param 'task_id'): Task 'nosuchtask00' does not exist.", failure.Message);
    }

    [Theory]
    [InlineData("""{"code":"success","data":{"task_id":"t1","status":"SUCCESS","progress":"100%","fail_reason":"","result_url":"https://cdn.example/v.mp4"}}""", "t1", "completed", 100, "https://cdn.example/v.mp4", null)]
    [InlineData("""{"code":"success","data":{"task_id":"t1","status":"IN_PROGRESS","progress":"42%"}}""", "t1", "in_progress", 42, null, null)]
    [InlineData("""{"code":"success","data":{"task_id":"t1","status":"NOT_START","progress":""}}""", "t1", "queued", null, null, null)]
    [InlineData("""{"code":"success","data":{"task_id":"t1","status":"FAILURE","progress":"100%","fail_reason":"content policy"}}""", "t1", "failed", 100, null, "content policy")]
    [InlineData("""{"code":"success","data":{"task_id":"t1","status":"UNKNOWN"}}""", "t1", "unknown", null, null, null)]
    [InlineData("""{"id":"v1","task_id":"t1","object":"video","status":"completed","progress":100,"metadata":{"url":"https://cdn.example/a.mp4"},"error":null}""", "t1", "completed", 100, "https://cdn.example/a.mp4", null)]
    [InlineData("""{"id":"v1","status":"succeeded","url":"https://cdn.example/b.mp4"}""", "v1", "completed", null, "https://cdn.example/b.mp4", null)]
    [InlineData("""{"id":"v1","status":"completed","content":{"url":"https://cdn.example/c.mp4"}}""", "v1", "completed", null, "https://cdn.example/c.mp4", null)]
    [InlineData("""{"id":"v1","status":"processing","progress":37.6}""", "v1", "in_progress", 38, null, null)]
    [InlineData("""{"id":"v1","status":"failed","error":{"code":"moderation","message":"blocked by moderation"}}""", "v1", "failed", null, null, "blocked by moderation")]
    [InlineData("""{"status":"cancelled"}""", "asked-for", "failed", null, null, null)]
    public void Both_poll_shapes_are_read_and_normalized(string body, string taskId, string status, int? progress, string? url, string? failReason)
    {
        var read = VideoTaskStatusReader.TryRead(body, "asked-for", out _);

        Assert.Equal(new VideoTaskStatus(taskId, status, progress, url is null ? null : new Uri(url), failReason), read);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("<html/>", "not JSON")]
    [InlineData("""{"code":"success"}""", "no task status")]
    public void Poll_body_without_a_status_is_not_read(string body, string problem)
    {
        Assert.Null(VideoTaskStatusReader.TryRead(body, "t1", out var reported));
        Assert.Contains(problem, reported, StringComparison.Ordinal);
    }
}
