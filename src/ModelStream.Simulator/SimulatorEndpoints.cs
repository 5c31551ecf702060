using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ModelStream.Simulator;

/// <summary>
/// The simulator's HTTP surface: ModelStream's two video endpoints, the signed result URLs of finished tasks, and the
/// <c>/_simulator</c> control endpoints.
/// </summary>
internal static class SimulatorEndpoints
{
    private const string GenerationsPath = "/v1/video/generations";
    private const string GarbageBody = "<html><body><h1>502 Bad Gateway</h1>upstream hiccup</body></html>";

    private static readonly JsonSerializerOptions FaultJson = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    // Readable answers ("Task 'x'" rather than "Task \u0027x\u0027"); they are read by tests and people, never put in HTML.
    private static readonly JsonSerializerOptions AnswerJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void MapModelStreamSimulator(this IEndpointRouteBuilder app, SimulatorState state)
    {
        // Typed as Func so the IResult is written; a bare HttpContext lambda would bind as a RequestDelegate and drop it.
        app.MapPost(GenerationsPath, (Func<HttpContext, Task<IResult>>)(http => SubmitAsync(http, state)));
        app.MapGet(GenerationsPath + "/{taskId}", (Func<HttpContext, string, Task<IResult>>)((http, taskId) => GetTaskAsync(http, state, taskId)));
        app.MapGet(VideoUrlSigner.PathPrefix + "{file}", (Func<HttpContext, string, Task<IResult>>)((http, file) => VideoEndpoint.ServeAsync(http, state, file)));

        var control = app.MapGroup("/_simulator");
        control.MapGet("/requests", () => JsonAnswer(RequestLog(state.Requests), StatusCodes.Status200OK));
        control.MapGet("/requests/statuses", () => JsonAnswer(StatusCounts(state.SubmitStatuses), StatusCodes.Status200OK));
        control.MapDelete("/requests", () =>
        {
            state.ClearRequests();
            return Results.NoContent();
        });
        control.MapGet("/faults", () => JsonAnswer(PendingFaults(state), StatusCodes.Status200OK));
        control.MapPost("/faults", (Func<HttpContext, Task<IResult>>)(http => AddFaultsAsync(http, state)));
        control.MapDelete("/faults", () =>
        {
            state.ClearFaults();
            return Results.NoContent();
        });
    }

    internal static IResult JsonAnswer(JsonNode node, int status) =>
        Results.Text(node.ToJsonString(AnswerJson), "application/json", Encoding.UTF8, status);

    private static async Task<IResult> SubmitAsync(HttpContext http, SimulatorState state)
    {
        var text = await ReadTextAsync(http).ConfigureAwait(false);
        var isJson = TryParseJson(text, out var body);

        // Logged before anything else can answer, so a test sees every submit that reached the server.
        var (fault, answered) = state.RecordAndTakeFault(new ReceivedRequest(
            http.Request.Method,
            http.Request.Path.Value ?? GenerationsPath,
            HeadersWithoutAuthorization(http.Request),
            isJson ? body?.DeepClone() : JsonValue.Create(text),
            state.Clock.GetUtcNow()));

        return new LoggedAnswer(await AnswerSubmitAsync(http, state, body, fault).ConfigureAwait(false), answered);
    }

    /// <summary>The checks a gateway makes, in its order: faults, key, rate, body, the account's unfinished tasks.</summary>
    private static async Task<IResult> AnswerSubmitAsync(HttpContext http, SimulatorState state, JsonNode? body, SimulatedFault? fault)
    {
        if (fault is not null && await ApplyFaultAsync(http, fault).ConfigureAwait(false) is { } faultAnswer)
        {
            return faultAnswer;
        }

        if (Refuse(http, state) is { } refusal)
        {
            return refusal;
        }

        if (state.TakeRate() is { } rateWait)
        {
            return RateLimited(http, rateWait, $"Rate limit reached: at most {state.Options.RateLimit} submits per second; retry after the Retry-After.");
        }

        if (Validate(body) is { } invalid)
        {
            return invalid;
        }

        if (state.ReserveTaskSlot() is { } slotWait)
        {
            return RateLimited(http, slotWait, $"Concurrency limit reached: the account already has {state.Options.MaxConcurrentTasks} unfinished tasks; retry after the Retry-After.");
        }

        try
        {
            var frame = Array.Empty<byte>();
            if (state.Options.FetchImages)
            {
                var url = body!["images"]![0]!.GetValue<string>();
                var (image, problem) = await state.Images.FetchAsync(url, keep: state.Renderer.Renders, http.RequestAborted).ConfigureAwait(false);
                if (problem is not null)
                {
                    // As ModelStream refuses a start frame it cannot use: a 400 naming images (the URL is not repeated: it may carry a SAS).
                    return SimulatorErrors.Answer(StatusCodes.Status400BadRequest, "invalid_parameter", $"images[0] cannot be used as the start frame: the URL {problem}.", "images");
                }

                frame = image!;
            }

            return Accept(state, body!, fault, frame);
        }
        finally
        {
            state.ReleaseTaskSlot();
        }
    }

    /// <summary>429 <c>rate_limit_exceeded</c> with <c>Retry-After</c> in whole seconds, rounded up and at least one.</summary>
    private static IResult RateLimited(HttpContext http, TimeSpan wait, string message)
    {
        var seconds = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return SimulatorErrors.Answer(StatusCodes.Status429TooManyRequests, "rate_limit_exceeded", message);
    }

    /// <summary>Applies a fault; null means "answer normally" (a fault that only delays, or only shapes the task).</summary>
    internal static async Task<IResult?> ApplyFaultAsync(HttpContext http, SimulatedFault fault)
    {
        if (fault.RetryAfter is { } seconds)
        {
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        if (fault.DelayMs > 0)
        {
            try
            {
                await Task.Delay(fault.DelayMs, http.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return NoAnswer.Instance; // the client gave up; nobody is listening
            }
        }

        if (fault.Reset)
        {
            http.Abort();
            return NoAnswer.Instance;
        }

        if (fault.Garbage)
        {
            return Results.Text(GarbageBody, "text/html", Encoding.UTF8, StatusCodes.Status200OK);
        }

        if (fault.Status is not { } status || status == StatusCodes.Status200OK)
        {
            return null;
        }

        if (!fault.Body)
        {
            return Results.StatusCode(status);
        }

        var (code, type, message) = SimulatorErrors.Default(status);
        return JsonAnswer(SimulatorErrors.Body(fault.Shape, fault.Code ?? code, type, fault.Message ?? message, fault.Param), status);
    }

    private static async Task<IResult> GetTaskAsync(HttpContext http, SimulatorState state, string taskId)
    {
        state.CountPoll();
        if (Refuse(http, state) is { } refusal)
        {
            return refusal;
        }

        var fault = state.TakeFault(SimulatedFaultTarget.Poll);
        if (fault is not null && await ApplyFaultAsync(http, fault).ConfigureAwait(false) is { } faultAnswer)
        {
            return faultAnswer;
        }

        if (state.FindTask(taskId) is not { } task)
        {
            return SimulatorErrors.Answer(StatusCodes.Status400BadRequest, "task_not_exist", $"Task '{taskId}' does not exist.", "task_id");
        }

        var view = state.ViewOf(task);
        var signed = view is { Status: TaskView.Succeeded, FinishedAt: { } finishedAt }
            ? state.Signer.Sign(new Uri($"{http.Request.Scheme}://{http.Request.Host}/"), task.TaskId, state.ResultExpiry(task, finishedAt)).AbsoluteUri
            : null;
        var resultUrl = signed is not null && task.ResultUrl is { } written ? written.Replace("{video}", signed, StringComparison.Ordinal) : signed;
        var answer = PollAnswer.For(task, view, resultUrl, state.Options.PollShape, state.Renderer.RenderOf(task.TaskId) is not null);
        if (fault?.Length is { } padded)
        {
            // The same answer, padded with white space to the size asked for: valid JSON, just too much of it.
            var text = answer.ToJsonString(AnswerJson);
            return Results.Text(text + new string(' ', (int)Math.Max(0, Math.Min(padded, int.MaxValue / 2) - Encoding.UTF8.GetByteCount(text))), "application/json", Encoding.UTF8, StatusCodes.Status200OK);
        }

        return JsonAnswer(answer, StatusCodes.Status200OK);
    }

    /// <summary>401 unless the Bearer key is the configured one, or, with none configured, any <c>sk-</c> key.</summary>
    private static IResult? Refuse(HttpContext http, SimulatorState state)
    {
        const string Scheme = "Bearer ";
        var header = http.Request.Headers.Authorization.ToString();
        var key = header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? header[Scheme.Length..].Trim() : "";
        if (key.Length == 0)
        {
            return SimulatorErrors.Answer(StatusCodes.Status401Unauthorized, "invalid_api_key", "No API key was sent: use 'Authorization: Bearer sk-...'.");
        }

        var accepted = state.RequiredApiKey is { } required
            ? CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(required))
            : key.StartsWith("sk-", StringComparison.Ordinal) && key.Length > 3;
        return accepted ? null : SimulatorErrors.Answer(StatusCodes.Status401Unauthorized, "invalid_api_key", "Invalid API key.");
    }

    /// <summary>The generic checks the gateway makes: a JSON object with a string <c>model</c> and a non-empty <c>images</c> array of strings.</summary>
    private static IResult? Validate(JsonNode? body)
    {
        if (body is not JsonObject request)
        {
            return SimulatorErrors.Answer(StatusCodes.Status400BadRequest, "invalid_request_body", "The body must be a JSON object.");
        }

        if (!IsNonEmptyString(request["model"]))
        {
            return SimulatorErrors.Answer(StatusCodes.Status400BadRequest, "invalid_parameter", "model is required and must be a non-empty string.", "model");
        }

        if (request["images"] is not JsonArray { Count: > 0 } images || !images.All(IsNonEmptyString))
        {
            return SimulatorErrors.Answer(StatusCodes.Status400BadRequest, "invalid_parameter", "images is required and must be a non-empty array of image URLs (strings).", "images");
        }

        return null;

        static bool IsNonEmptyString(JsonNode? node) =>
            node is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Length > 0;
    }

    private static IResult Accept(SimulatorState state, JsonNode body, SimulatedFault? traits, byte[] frame)
    {
        var task = state.IssueTask(body["model"]!.GetValue<string>(), traits, DurationOf(body), HeightOf(body));
        if (frame.Length > 0 && task.FailReason is null)
        {
            state.Renderer.Start(task, frame);
        }

        return JsonAnswer(new JsonObject { ["task_id"] = task.TaskId, ["status"] = "queued" }, StatusCodes.Status200OK);
    }

    /// <summary>The requested duration in whole seconds: <c>duration</c> when it is a number from 1 to 60, else 5 (the form's default).</summary>
    private static int DurationOf(JsonNode body) =>
        body["duration"] is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<double>(out var seconds) && seconds is >= 1 and <= 60
            ? (int)Math.Round(seconds)
            : 5;

    /// <summary>The requested height: <c>metadata.resolution</c> such as <c>1080p</c> (144p to 2160p), else 720 (the form's default).</summary>
    private static int HeightOf(JsonNode body)
    {
        var text = body["metadata"] is JsonObject metadata && metadata["resolution"] is JsonValue value && value.GetValueKind() == JsonValueKind.String
            ? value.GetValue<string>().Trim()
            : "";
        return text.EndsWith('p') && int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var height) && height is >= 144 and <= 2160
            ? height
            : 720;
    }

    private static async Task<IResult> AddFaultsAsync(HttpContext http, SimulatorState state)
    {
        var text = await ReadTextAsync(http).ConfigureAwait(false);
        List<SimulatedFault>? faults;
        try
        {
            // An array, as documented; a lone object is taken as an array of one.
            faults = text.TrimStart().StartsWith('{')
                ? [JsonSerializer.Deserialize<SimulatedFault>(text, FaultJson)!]
                : JsonSerializer.Deserialize<List<SimulatedFault>>(text, FaultJson);
            state.AddFaults(faults ?? throw new JsonException("Expected a JSON array of faults."));
        }
        catch (Exception exception) when (exception is JsonException or ArgumentException)
        {
            return SimulatorErrors.Answer(StatusCodes.Status400BadRequest, "invalid_fault", exception.Message);
        }

        return JsonAnswer(PendingFaults(state), StatusCodes.Status200OK);
    }

    private static JsonArray RequestLog(IEnumerable<ReceivedRequest> requests) =>
    [
        .. requests.Select(request => new JsonObject
        {
            ["method"] = request.Method,
            ["path"] = request.Path,
            ["headers"] = new JsonObject(request.Headers.Select(header => KeyValuePair.Create(header.Key, (JsonNode?)header.Value))),
            ["body"] = request.Body?.DeepClone(),
            ["receivedAt"] = request.ReceivedAt,
            ["status"] = request.Status,
        }),
    ];

    private static JsonObject StatusCounts(IReadOnlyDictionary<int, int> counts) =>
        new(counts.Select(count => KeyValuePair.Create(count.Key.ToString(CultureInfo.InvariantCulture), (JsonNode?)count.Value)));

    private static JsonArray PendingFaults(SimulatorState state) =>
    [
        .. state.PendingFaults.Select(pending =>
        {
            var node = JsonSerializer.SerializeToNode(pending.Fault, FaultJson)!.AsObject();
            node["remaining"] = pending.Remaining;
            return node;
        }),
    ];

    private static Dictionary<string, string> HeadersWithoutAuthorization(HttpRequest request) =>
        request.Headers
            .Where(header => !string.Equals(header.Key, "Authorization", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(header => header.Key, header => header.Value.ToString(), StringComparer.OrdinalIgnoreCase);

    private static async Task<string> ReadTextAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(http.RequestAborted).ConfigureAwait(false);
    }

    private static bool TryParseJson(string text, out JsonNode? node)
    {
        try
        {
            node = JsonNode.Parse(text);
            _ = node?.DeepClone(); // materializes lazily-read objects, so a duplicate key fails here and not later
            return true;
        }
        catch (Exception exception) when (exception is JsonException or ArgumentException or InvalidOperationException)
        {
            node = null;
            return false;
        }
    }

    /// <summary>Writes an answer, then notes in the request log the status it went out with (none when the connection was dropped).</summary>
    private sealed class LoggedAnswer(IResult answer, Action<int?> answered) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            try
            {
                await answer.ExecuteAsync(httpContext).ConfigureAwait(false);
            }
            finally
            {
                answered(answer is NoAnswer || httpContext.RequestAborted.IsCancellationRequested ? null : httpContext.Response.StatusCode);
            }
        }
    }

    /// <summary>What a handler returns when the connection was dropped: nothing is written, and no status went out.</summary>
    internal sealed class NoAnswer : IResult
    {
        public static readonly NoAnswer Instance = new();

        public Task ExecuteAsync(HttpContext httpContext) => Task.CompletedTask;
    }
}
