using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace StartFrame.Core.WaysIn;

/// <summary>
/// Hashes of submission bodies: the body hash that tells a replay from a reused idempotency key, and the default
/// idempotency key of a queue message, derived from its body rather than its message id, so that the first delivery,
/// a redelivery and a copy replayed from the poison queue (which gets a new message id) all claim the same key.
/// Both are over a canonical form (keys sorted at every level), so key order and whitespace do not matter.
/// </summary>
public static class SubmissionKeys
{
    /// <summary>The prefix of a default queue key.</summary>
    public const string QueuePrefix = "msg:";

    /// <summary>The default idempotency key of a queue message without one: <c>msg:</c> + SHA-256 of its canonical body
    /// without its <c>traceparent</c>. Two messages with the same fields (and the same correlation id, if any) are one
    /// submission: a sender that retries a send from a new span (a new <c>traceparent</c>) still submits once.</summary>
    public static string DefaultQueueKey(JsonObject body) => QueuePrefix + Hash(body, exclude: [SubmissionFields.Traceparent]);

    /// <summary>A hash of what the caller asked for, bookkeeping fields (correlation id, idempotency key, trace context)
    /// left out: the same key with another trace context is a replay, not a conflict.</summary>
    public static string BodyHash(JsonObject body) =>
        Hash(body, exclude: [SubmissionFields.CorrelationId, SubmissionFields.IdempotencyKey, SubmissionFields.Traceparent]).ToUpperInvariant();

    private static string Hash(JsonObject body, IReadOnlyList<string> exclude)
    {
        ArgumentNullException.ThrowIfNull(body);
        var copy = (JsonObject)Canonical(body)!;
        foreach (var name in exclude)
        {
            copy.Remove(name);
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(copy.ToJsonString())));
    }

    private static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Canonical(p.Value)))),
        JsonArray array => new JsonArray([.. array.Select(Canonical)]),
        _ => node?.DeepClone(),
    };
}
