using NJsonSchema;
using StartFrame.Core.Records;

namespace StartFrame.Deployment.Tests;

/// <summary>The completion record's shipped JSON Schema describes what the code writes, and refuses what it must not.</summary>
public sealed class CompletionRecordMatchesItsSchema
{
    private static readonly CompletionRecord Succeeded = new()
    {
        TaskId = "abc123def456",
        Status = CompletionStatuses.Succeeded,
        Video = new CompletionVideo("videos", "a/b/cat/abc123def456.mp4", 2222, "video/mp4"),
        Source = new RecordSource { Container = "start-frames", Blob = "a/b/cat.png", Etag = "\"0x8D\"", ContentType = "image/png", Length = 7064 },
        Sidecar = "a/b/cat.json",
        SubmittedAt = new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero),
        CompletedAt = new DateTimeOffset(2026, 11, 24, 12, 2, 10, TimeSpan.Zero),
        CorrelationId = "corr-1",
    };

    private static Task<JsonSchema> Schema() =>
        JsonSchema.FromFileAsync(RepoFiles.PathOf("src/StartFrame.Core/Records/completion-record.schema.json"));

    [Fact]
    public async Task Records_the_code_writes_are_valid()
    {
        var schema = await Schema();
        var failed = Succeeded with { Status = CompletionStatuses.Failed, Video = null, Error = new CompletionError(CompletionErrorCodes.GenerationFailed, "content policy") };
        var timedOut = failed with { Status = CompletionStatuses.TimedOut, Error = new CompletionError(CompletionErrorCodes.HorizonReached, "not finished") };
        var byUrl = Succeeded with { Source = new RecordSource { Url = "https://example.com/cat.png" }, Sidecar = null, Video = Succeeded.Video! with { Blob = "by-url/abc123def456.mp4" } };

        var traced = Succeeded with { Traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" };

        foreach (var record in new[] { Succeeded, failed, timedOut, byUrl, traced })
        {
            Assert.Empty(schema.Validate(CompletionWriter.Serialize(record)));
        }
    }

    [Theory]
    [InlineData("succeeded without a video")]
    [InlineData("failed with a video")]
    [InlineData("an unknown status")]
    [InlineData("a url with its query")]
    public async Task Records_that_break_the_contract_are_refused(string mistake)
    {
        var record = mistake switch
        {
            "succeeded without a video" => Succeeded with { Video = null },
            "failed with a video" => Succeeded with { Status = CompletionStatuses.Failed, Error = new CompletionError(CompletionErrorCodes.GenerationFailed, "x") },
            "an unknown status" => Succeeded with { Status = "done" },
            _ => Succeeded with { Source = new RecordSource { Url = "https://example.com/cat.png?sig=secret" } },
        };

        Assert.NotEmpty((await Schema()).Validate(CompletionWriter.Serialize(record)));
    }
}
