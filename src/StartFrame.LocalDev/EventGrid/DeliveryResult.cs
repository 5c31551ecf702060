namespace StartFrame.LocalDev.EventGrid;

/// <summary>How the delivery of one event ended.</summary>
/// <param name="EventId">The event's id (the same on every attempt).</param>
/// <param name="Delivered">True when the endpoint accepted it (2xx).</param>
/// <param name="Attempts">How many attempts were made.</param>
/// <param name="LastOutcome">The last attempt's answer, e.g. <c>202 Accepted</c>, <c>no connection</c>, <c>400 Bad Request</c>.</param>
public sealed record DeliveryResult(string EventId, bool Delivered, int Attempts, string LastOutcome);
