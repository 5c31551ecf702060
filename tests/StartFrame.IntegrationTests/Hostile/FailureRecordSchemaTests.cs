using StartFrame.IntegrationTests.Infrastructure;

namespace StartFrame.IntegrationTests.Hostile;

/// <summary>The failure-record schema itself: what may have been charged can never also say retryable.</summary>
public sealed class FailureRecordSchemaTests
{
    private const string Record = """
        {"schemaVersion":1,"origin":"blob","source":{"container":"start-frames","blob":"a.png"},
         "errors":[{"field":"request","code":"http_502","message":"x"}],"errorCount":1,"failedAt":"2026-11-30T00:00:00+00:00",
         "correlationId":"c","stage":"submit",
        """;

    [Theory]
    [InlineData("\"retryable\":true,\"ambiguous\":false}", true)]
    [InlineData("\"retryable\":false,\"ambiguous\":true}", true)]
    [InlineData("\"retryable\":true}", true)] // written before "ambiguous" existed: schema version 1 still
    [InlineData("\"retryable\":true,\"ambiguous\":true}", false)]
    public async Task Ambiguous_and_retryable_never_hold_together(string tail, bool valid)
        => Assert.Equal(valid, (await RecordSchemas.FailureRecordErrorsAsync(Record + tail)).Count == 0);
}
