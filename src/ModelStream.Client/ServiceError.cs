using System.Text.Json;

namespace ModelStream.Client;

/// <summary>The error fields ModelStream sent, from either of the two shapes it uses.</summary>
/// <remarks>
/// <c>{"error":{"message","type","param","code"}}</c> is the documented one; some gateway paths answer
/// <c>{"code","message","data"}</c>. Anything else (empty, HTML from a proxy, another JSON) yields <see langword="null"/>.
/// </remarks>
internal sealed record ServiceError(string? Code, string? Type, string? Param, string? Message)
{
    public static ServiceError? Parse(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (root.TryGetProperty("error", out var error))
            {
                if (error.ValueKind == JsonValueKind.Object)
                {
                    return new ServiceError(
                        Json.ReadText(error, "code"),
                        Json.ReadText(error, "type"),
                        Json.ReadText(error, "param"),
                        Json.ReadText(error, "message"));
                }

                if (error.ValueKind == JsonValueKind.String)
                {
                    return new ServiceError(Json.ReadText(root, "code"), null, null, error.GetString());
                }
            }

            var code = Json.ReadText(root, "code");
            var message = Json.ReadText(root, "message");
            return code is null && message is null
                ? null
                : new ServiceError(code, Json.ReadText(root, "type"), Json.ReadText(root, "param"), message);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
