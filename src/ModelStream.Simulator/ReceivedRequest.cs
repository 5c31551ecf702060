using System.Text.Json.Nodes;

namespace ModelStream.Simulator;

/// <summary>One request the simulator received, as <c>GET /_simulator/requests</c> lists it.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The request path.</param>
/// <param name="Headers">Every request header except <c>Authorization</c>, looked up case-insensitively.</param>
/// <param name="Body">The JSON as sent, or the raw text (as a JSON string) when it was not JSON.</param>
/// <param name="ReceivedAt">When the request was read.</param>
/// <param name="Status">The status it was answered with; null while it is being answered, or when the connection was dropped instead.</param>
public sealed record ReceivedRequest(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Headers,
    JsonNode? Body,
    DateTimeOffset ReceivedAt,
    int? Status = null);
