using System.Text.Json;

namespace StartFrame.Core.Redrives;

/// <summary>
/// One event Event Grid gave up delivering, as it writes it to the dead-letter container (Event Grid schema): the
/// event itself plus why and how often delivery failed. Only the fields the redrive needs or reports are read.
/// </summary>
public sealed record DeadLetteredEvent
{
    /// <summary>The event type that BlobCreated events carry.</summary>
    public const string BlobCreatedType = "Microsoft.Storage.BlobCreated";

    /// <summary>The Event Grid event id (the correlation id of the redrive, as of a delivery).</summary>
    public string? Id { get; init; }

    /// <summary><c>eventType</c>, e.g. <c>Microsoft.Storage.BlobCreated</c>.</summary>
    public string? EventType { get; init; }

    /// <summary><c>/blobServices/default/containers/{container}/blobs/{name}</c> for a storage event.</summary>
    public string? Subject { get; init; }

    /// <summary>Why Event Grid stopped, e.g. <c>MaxDeliveryAttemptsExceeded</c>, <c>TimeToLiveExceeded</c>.</summary>
    public string? DeadLetterReason { get; init; }

    /// <summary>How many deliveries were tried.</summary>
    public int? DeliveryAttempts { get; init; }

    /// <summary>The last delivery's outcome, e.g. <c>NotFound</c>, <c>TimedOut</c>, <c>Busy</c>.</summary>
    public string? LastDeliveryOutcome { get; init; }

    /// <summary>The last delivery's HTTP status, when there was an answer.</summary>
    public int? LastHttpStatusCode { get; init; }

    /// <summary>When the event was published.</summary>
    public DateTimeOffset? PublishTime { get; init; }

    /// <summary>When the last delivery was tried.</summary>
    public DateTimeOffset? LastDeliveryAttemptTime { get; init; }

    /// <summary>Reads one element of a dead-letter blob's array; a field of the wrong type reads as absent.</summary>
    public static DeadLetteredEvent From(JsonElement element) => element.ValueKind != JsonValueKind.Object
        ? new DeadLetteredEvent()
        : new DeadLetteredEvent
        {
            Id = Text(element, "id"),
            EventType = Text(element, "eventType"),
            Subject = Text(element, "subject"),
            DeadLetterReason = Text(element, "deadLetterReason"),
            DeliveryAttempts = Number(element, "deliveryAttempts"),
            LastDeliveryOutcome = Text(element, "lastDeliveryOutcome"),
            LastHttpStatusCode = Number(element, "lastHttpStatusCode"),
            PublishTime = Time(element, "publishTime"),
            LastDeliveryAttemptTime = Time(element, "lastDeliveryAttemptTime"),
        };

    /// <summary>The blob a storage event names, from its subject; false when the subject is not a blob's.</summary>
    public bool TryGetBlob(out string container, out string name)
    {
        const string prefix = "/blobServices/default/containers/";
        const string blobs = "/blobs/";
        container = name = "";
        if (Subject is null || !Subject.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = Subject[prefix.Length..];
        var at = rest.IndexOf(blobs, StringComparison.Ordinal);
        if (at <= 0 || at + blobs.Length >= rest.Length)
        {
            return false;
        }

        container = rest[..at];
        name = rest[(at + blobs.Length)..];
        return true;
    }

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int? Number(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : null;

    private static DateTimeOffset? Time(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var time) ? time : null;
}
