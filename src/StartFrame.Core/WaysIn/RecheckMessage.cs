namespace StartFrame.Core.WaysIn;

/// <summary>
/// A message of <c>upload-rechecks</c>: look at this upload again — it met another run's live claim (visible when that
/// claim's lease has ended), or every provider slot was taken (visible when it should look for one again). Base64 JSON, like every StartFrame queue message.
/// </summary>
/// <param name="Blob">The image, as <c>start-frames/&lt;name&gt;</c>.</param>
/// <param name="CorrelationId">The correlation id of the delivery that met the claim.</param>
/// <param name="DueAt">When the lease ends (for people reading the queue).</param>
public sealed record RecheckMessage(string Blob, string CorrelationId, DateTimeOffset DueAt)
{
    /// <summary>The W3C trace context of the upload's first look, so every later look joins its trace; absent in
    /// messages written before traces were kept, and when nobody traced the first look.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Traceparent { get; init; }
}
