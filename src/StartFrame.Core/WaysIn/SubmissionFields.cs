namespace StartFrame.Core.WaysIn;

/// <summary>The top-level fields of an HTTP body or queue message that are not sidecar fields.</summary>
public static class SubmissionFields
{
    /// <summary>A blob of ours, <c>container/name</c>; only the uploads container is accepted.</summary>
    public const string Blob = "blob";

    /// <summary>An image URL passed through to ModelStream (https unless <c>StartFrame:AllowHttpImageUrls</c>).</summary>
    public const string ImageUrl = "imageUrl";

    /// <summary>The caller's correlation id (queue messages).</summary>
    public const string CorrelationId = "correlationId";

    /// <summary>The caller's idempotency key (queue messages; HTTP uses the <c>Idempotency-Key</c> header).</summary>
    public const string IdempotencyKey = "idempotencyKey";

    /// <summary>The caller's W3C trace context (queue messages; HTTP uses the <c>traceparent</c> header).</summary>
    public const string Traceparent = "traceparent";

    /// <summary>The string value of a top-level field, or null when it is absent, not a string, or not text (a lone
    /// surrogate escape, which <see cref="SubmissionLimits.CheckText"/> reports).</summary>
    public static string? ReadString(System.Text.Json.Nodes.JsonObject body, string name)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return body[name] is System.Text.Json.Nodes.JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>All of them, for the validator's allowed extra fields.</summary>
    public static IReadOnlyList<string> All { get; } = [Blob, ImageUrl, CorrelationId, IdempotencyKey, Traceparent];
}
