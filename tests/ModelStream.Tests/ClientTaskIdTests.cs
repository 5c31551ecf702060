using ModelStream.Client;
using ModelStream.Simulator;

namespace ModelStream.Tests;

/// <summary>A task id is polled only as one plain URL path segment: anything else would reach another URL.</summary>
public sealed class ClientTaskIdTests
{
    public static TheoryData<string> Unusable => new()
    {
        "", " ", ".", "..", "../v1", "a/b", "a\\b", "a?b", "a#b", "a%2Fb", "a b", "a\nb", "a\u0000b", "a\u007fb", new string('a', TaskIdRule.MaxLength + 1),
    };

    [Theory]
    [MemberData(nameof(Unusable))]
    public async Task A_task_id_that_is_not_a_plain_path_segment_is_refused_before_anything_is_sent(string taskId)
    {
        await using var harness = await ClientHarness.StartAsync();

        var failure = await Assert.ThrowsAsync<ArgumentException>(() => harness.Client.GetTaskAsync(taskId));

        Assert.Equal("taskId", failure.ParamName);
        Assert.StartsWith("The task id cannot be polled: ", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', failure.Message.Split(" (Parameter")[0]);
        Assert.Equal(0, harness.Simulator.PollCount);
    }

    [Theory]
    [InlineData("abcd1234efgh")]
    [InlineData("vid_1")]
    [InlineData("video:task-01.b~c")]
    [InlineData("3f2504e0-4f89-11d3-9a0c-0305e82c3301")]
    public async Task A_plain_task_id_is_polled_at_its_own_url(string taskId)
    {
        await using var harness = await ClientHarness.StartAsync();

        var failure = await Assert.ThrowsAsync<ModelStreamException>(() => harness.Client.GetTaskAsync(taskId));

        Assert.Equal("task_not_exist", failure.ErrorCode); // the simulator's answer for an id it never issued, at that id's URL
        Assert.Equal($"Task '{taskId}' does not exist.", failure.ServiceMessage);
        Assert.Equal(1, harness.Simulator.PollCount);
    }

    [Fact]
    public async Task A_longest_task_id_is_still_polled()
    {
        await using var harness = await ClientHarness.StartAsync();
        var longest = new string('a', TaskIdRule.MaxLength);

        var failure = await Assert.ThrowsAsync<ModelStreamException>(() => harness.Client.GetTaskAsync(longest));

        Assert.Equal("task_not_exist", failure.ErrorCode);
    }

    [Theory]
    [InlineData("..", "'..' is a relative path, not a name")]
    [InlineData("a/b", "it contains '/'")]
    [InlineData("a?b", "it contains '?'")]
    public async Task An_accepted_submit_with_an_unusable_task_id_is_ambiguous_and_never_resent(string taskId, string problem)
    {
        await using var harness = await ClientHarness.StartAsync();
        harness.Simulator.AddFaults(new SimulatedFault { TaskId = taskId });

        var failure = await Assert.ThrowsAsync<ModelStreamException>(() => harness.Client.SubmitAsync(ClientHarness.SampleRequest()));

        Assert.Equal(ModelStreamFailureKind.Ambiguous, failure.Kind);
        Assert.Equal(200, failure.Status);
        Assert.Equal($"ModelStream answered 200 but its task id is unusable ({problem}); it may have been accepted, so look for the task before re-sending.", failure.Message);
        Assert.Equal(1, harness.Simulator.PostCount);
        Assert.Equal(0, harness.Simulator.PollCount);
    }
}
