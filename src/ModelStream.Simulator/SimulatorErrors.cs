using System.Text.Json.Nodes;

namespace ModelStream.Simulator;

/// <summary>The error objects the simulator answers, with a fitting code per status as a ModelStream gateway would send.</summary>
internal static class SimulatorErrors
{
    public static (string Code, string Type, string Message) Default(int status) => status switch
    {
        400 => ("invalid_request", "invalid_request_error", "The request is invalid."),
        401 => ("invalid_api_key", "invalid_request_error", "Invalid API key."),
        402 => ("insufficient_user_quota", "insufficient_quota", "The account's quota is used up."),
        403 => ("access_denied", "permission_error", "This key may not use this model."),
        404 => ("not_found", "invalid_request_error", "Not found."),
        408 => ("request_timeout", "invalid_request_error", "The request took too long to arrive."),
        429 => ("rate_limit_exceeded", "rate_limit_error", "Too many requests; slow down."),
        500 => ("internal_server_error", "server_error", "The upstream model failed while handling the request."),
        502 => ("bad_gateway", "server_error", "The upstream answered with an invalid response."),
        503 => ("service_unavailable", "server_error", "All upstream channels are busy; the request was not processed."),
        504 => ("gateway_timeout", "server_error", "The upstream did not answer in time."),
        >= 500 => ("server_error", "server_error", "The server failed."),
        _ => ("request_failed", "invalid_request_error", "The request failed."),
    };

    public static JsonObject Body(SimulatedErrorShape shape, string code, string type, string message, string? param) => shape switch
    {
        SimulatedErrorShape.Flat => new JsonObject { ["code"] = code, ["message"] = message, ["data"] = null },
        _ => new JsonObject
        {
            ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = param, ["code"] = code },
        },
    };

    public static IResult Answer(int status, string code, string message, string? param = null, SimulatedErrorShape shape = SimulatedErrorShape.Error) =>
        SimulatorEndpoints.JsonAnswer(Body(shape, code, Default(status).Type, message, param), status);
}
