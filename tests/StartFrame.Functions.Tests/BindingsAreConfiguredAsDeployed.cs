using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace StartFrame.Functions.Tests;

/// <summary>The attribute values the host reads: the names the infra, the webhook URL and host.json depend on.</summary>
public sealed class BindingsAreConfiguredAsDeployed
{
    [Fact]
    public void Upload_trigger_is_the_Event_Grid_blob_trigger_the_webhook_names()
    {
        var run = typeof(StartFrameUploaded).GetMethod(nameof(StartFrameUploaded.Run))!;
        var trigger = run.GetParameters()[0].GetCustomAttribute<BlobTriggerAttribute>()!;

        // The post-deploy hook and the local webhook post to functionName=Host.Functions.StartFrameUploaded.
        Assert.Equal("StartFrameUploaded", run.GetCustomAttribute<FunctionAttribute>()!.Name);
        Assert.Equal("start-frames/{name}", trigger.BlobPath);
        Assert.Equal(BlobTriggerSource.EventGrid, trigger.Source);
        Assert.Equal("AzureWebJobsStorage", trigger.Connection);
    }

    [Fact]
    public void Submission_trigger_reads_the_submissions_queue_on_the_host_storage()
    {
        var run = typeof(SubmissionQueued).GetMethod(nameof(SubmissionQueued.Run))!;
        var trigger = run.GetParameters()[0].GetCustomAttribute<QueueTriggerAttribute>()!;

        Assert.Equal("video-submissions", trigger.QueueName);
        Assert.Equal("AzureWebJobsStorage", trigger.Connection);
    }

    [Fact]
    public void Recheck_trigger_reads_the_rechecks_queue_on_the_host_storage()
    {
        var run = typeof(UploadRecheckDue).GetMethod(nameof(UploadRecheckDue.Run))!;
        var trigger = run.GetParameters()[0].GetCustomAttribute<QueueTriggerAttribute>()!;

        Assert.Equal("upload-rechecks", trigger.QueueName);
        Assert.Equal("AzureWebJobsStorage", trigger.Connection);
    }

    [Fact]
    public void Tracking_trigger_reads_the_tracking_queue_on_the_host_storage()
    {
        var run = typeof(VideoTrackingDue).GetMethod(nameof(VideoTrackingDue.Run))!;
        var trigger = run.GetParameters()[0].GetCustomAttribute<QueueTriggerAttribute>()!;

        Assert.Equal("VideoTrackingDue", run.GetCustomAttribute<FunctionAttribute>()!.Name);
        Assert.Equal("video-tracking", trigger.QueueName);
        Assert.Equal("AzureWebJobsStorage", trigger.Connection);
    }

    [Theory]
    [InlineData(typeof(SubmitVideo), "post", "videos")]
    [InlineData(typeof(GetVideo), "get", "videos/{taskId}")]
    public void Http_functions_need_a_function_key_and_own_their_route(Type function, string method, string route)
    {
        var run = function.GetMethod("Run")!;
        var trigger = run.GetParameters()[0].GetCustomAttribute<HttpTriggerAttribute>()!;

        Assert.Equal(AuthorizationLevel.Function, trigger.AuthLevel);
        Assert.Equal(new[] { method }, trigger.Methods);
        Assert.Equal(route, trigger.Route);
    }
}
