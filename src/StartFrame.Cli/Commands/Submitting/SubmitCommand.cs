using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using StartFrame.Cli.Commands.Output;
using StartFrame.Core;
using StartFrame.Core.Records;
using StartFrame.Core.WaysIn;

namespace StartFrame.Cli.Commands.Submitting;

/// <summary>
/// <c>startframe submit &lt;image-url|container/blob&gt; [--set key=value…] [--idempotency-key k] [--json]</c>:
/// <c>POST /api/videos</c> without the HTTP host — the same core service, validation, ledger and records.
/// </summary>
internal static class SubmitCommand
{
    public static Command Create()
    {
        var image = new Argument<string>("image")
        {
            Description = $"The start frame: an https:// URL (passed through to ModelStream) or a blob of ours as {StartFrameOptions.UploadsContainer}/<name> (sent as a SAS URL).",
        };
        var sets = SidecarOverrides.CreateOption("--set prompt=\"the cat yawns\" --set duration=8");
        var key = new Option<string?>("--idempotency-key")
        {
            Description = "Makes a retry safe: the same key with the same fields returns the first answer without a second submission; "
                + "the same key with other fields is refused (exit 2).",
            HelpName = "key",
        };
        var queue = new Option<bool>("--queue")
        {
            Description = $"Instead of submitting here, put the same JSON (base64) on {StartFrameOptions.SubmissionsQueue}, as a pipeline would: the queue "
                + "trigger (the function app, or startframe dev) validates, submits and records it. Needs only AzureWebJobsStorage.",
        };
        var json = new Option<bool>("--json")
        {
            Description = "Print one JSON object: {\"status\", \"taskId\", \"location\", \"replayed\", \"correlationId\", \"record\", \"errors\", \"detail\", \"retryAfterSeconds\"}; "
                + "with --queue {\"status\": \"queued\", \"queue\", \"messageId\", \"idempotencyKey\", \"keyDerived\"}.",
        };
        var command = new Command("submit", $"""
            Submit one start frame by hand, exactly as POST /api/videos does (the sidecar fields come from --set): validated
            by the catalog, made idempotent through the ledger with --idempotency-key, and recorded on {StartFrameOptions.TasksQueue}.
            Exit codes: 0 accepted, 2 invalid or idempotency key reused with other fields, 1 anything else (unavailable,
            ambiguous, refused by ModelStream, in progress).
            With --queue it is queued on {StartFrameOptions.SubmissionsQueue} instead (exit 0 once queued), as another pipeline would
            queue it; without --idempotency-key the queue path derives the key from the fields.
            Settings: AzureWebJobsStorage, ModelStream__BaseUrl, ModelStream__ApiKey, StartFrame__*.
            Examples:
              startframe submit {StartFrameOptions.UploadsContainer}/cats/cat.png --set prompt="the cat yawns" --idempotency-key cat-001
              startframe submit https://example.com/frames/dog.jpg --set duration=8 --json
              startframe submit {StartFrameOptions.UploadsContainer}/cats/cat.png --set prompt="seen from the moon" --queue
            """);
        command.Arguments.Add(image);
        command.Options.Add(sets);
        command.Options.Add(key);
        command.Options.Add(queue);
        command.Options.Add(json);
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(image)!, parse.GetValue(sets), parse.GetValue(key), parse.GetValue(queue), parse.GetValue(json),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(
        string image,
        string[]? assignments,
        string? idempotencyKey,
        bool viaQueue,
        bool asJson,
        TextWriter output,
        TextWriter error,
        CancellationToken cancellationToken)
    {
        if (!TryBuildBody(image, assignments, out var body, out var problem))
        {
            await error.WriteLineAsync(problem).ConfigureAwait(false);
            return ExitCodes.Rejected;
        }

        if (viaQueue)
        {
            // On the queue the key travels in the message, as any pipeline would send it.
            if (!string.IsNullOrEmpty(idempotencyKey))
            {
                body[SubmissionFields.IdempotencyKey] = idempotencyKey;
            }

            return await QueueSubmit.RunAsync(body, asJson, output, error, cancellationToken).ConfigureAwait(false);
        }

        using var host = await CommandCore.TryStartAsync(error, cancellationToken).ConfigureAwait(false);
        if (host is null)
        {
            return ExitCodes.Failure;
        }

        var service = host.Services.GetRequiredService<JsonSubmissions>();
        var result = await service.SubmitAsync(
            new SubmissionInput { Body = body, Origin = Origins.Http, IdempotencyKey = string.IsNullOrEmpty(idempotencyKey) ? null : idempotencyKey },
            cancellationToken).ConfigureAwait(false);

        await output.WriteLineAsync(asJson ? JsonText.Line(ToJson(result)) : ToText(result)).ConfigureAwait(false);
        return result.Status switch
        {
            SubmissionStatus.Accepted => ExitCodes.Ok,
            SubmissionStatus.Invalid or SubmissionStatus.KeyConflict => ExitCodes.Rejected,
            _ => ExitCodes.Failure,
        };
    }

    /// <summary>The HTTP body: the <c>--set</c> fields plus <c>imageUrl</c> (a URL) or <c>blob</c> (anything else).</summary>
    private static bool TryBuildBody(string image, string[]? assignments, out JsonObject body, out string problem)
    {
        body = [];
        if (!SidecarOverrides.TryParse(assignments, out var overrides, out problem) || !overrides.TryApply(body, out problem))
        {
            return false;
        }

        if (body.ContainsKey(SubmissionFields.Blob) || body.ContainsKey(SubmissionFields.ImageUrl))
        {
            problem = $"--set {SubmissionFields.Blob}/{SubmissionFields.ImageUrl}: give the image as the argument instead (a URL, or {StartFrameOptions.UploadsContainer}/<name>).";
            return false;
        }

        var isUrl = Uri.TryCreate(image, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp);
        body[isUrl ? SubmissionFields.ImageUrl : SubmissionFields.Blob] = image;
        return true;
    }

    /// <summary>What a script reads: the outcome in snake_case, and for an accepted one its task id and Location.</summary>
    private static JsonObject ToJson(SubmissionResult result)
    {
        var document = new JsonObject
        {
            ["status"] = StatusName(result.Status),
            ["taskId"] = result.Record?.TaskId,
            ["location"] = Location(result),
            ["replayed"] = result.Replayed,
            ["correlationId"] = result.CorrelationId,
            ["record"] = result.Record is null ? null : JsonSerializer.SerializeToNode(result.Record, RecordJson.Context.TaskRecord),
            ["errors"] = JsonSerializer.SerializeToNode(result.Errors, RecordJson.Context.IReadOnlyListRecordError),
            ["detail"] = result.Detail,
            ["retryAfterSeconds"] = result.RetryAfter is { } wait ? (int)Math.Ceiling(wait.TotalSeconds) : null,
        };
        foreach (var empty in document.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            document.Remove(empty);
        }

        return document;
    }

    /// <summary>The label column: wide enough for every status, so a label never runs into its text.</summary>
    private const int LabelWidth = 14;

    private static string ToText(SubmissionResult result)
    {
        var lines = new List<string>();
        void Line(string label, string text) => lines.Add(label.PadRight(LabelWidth) + text);

        // What the status line says is not repeated by an error line below it.
        var said = new List<string>();
        switch (result.Status)
        {
            case SubmissionStatus.Accepted when result.Record is { } record:
                Line("accepted", $"task {record.TaskId} (model {record.Model}, {record.Status}){(result.Replayed ? ": replayed, this key was submitted before; nothing sent again" : "")}");
                Line("location", $"{Location(result)}   (startframe status {record.TaskId})");
                break;
            case SubmissionStatus.Invalid:
                Line("invalid", $"nothing was sent: {result.Errors.Count} {(result.Errors.Count == 1 ? "error" : "errors")}");
                break;
            case SubmissionStatus.KeyConflict:
                Line("refused", "the idempotency key was used before with other fields; nothing was sent");
                said.AddRange(result.Errors.Select(e => e.Message));
                break;
            case SubmissionStatus.Unavailable:
                Line(StatusName(result.Status), $"nothing was charged: {result.Detail?.TrimEnd('.')}. Run the same command again{Wait(result)} (with the same --idempotency-key).");
                said.Add(result.Detail ?? "");
                break;
            case SubmissionStatus.InProgress:
                Line(StatusName(result.Status), $"another call is submitting this idempotency key right now; run the same command again{Wait(result)} for its answer.");
                break;
            default:
                // Refused or ambiguous: the reason is the sentence; with one error and no detail, that error is it.
                var reason = result.Detail ?? (result.Errors.Count == 1 ? ErrorLines.Format(result.Errors[0]) : "see the errors below");
                Line(StatusName(result.Status), reason + (result.Replayed ? " (the answer of an earlier submission with this key)" : ""));
                said.Add(result.Detail ?? (result.Errors.Count == 1 ? result.Errors[0].Message : ""));
                if (result.Status == SubmissionStatus.Refused && !result.Replayed)
                {
                    // Only what may have been charged (ambiguous) burns a key; a refusal can be sent again as it is.
                    Line("", "nothing was charged; once the cause is fixed the same command may run again (its idempotency key is not used up).");
                }

                break;
        }

        if (result.Status != SubmissionStatus.Accepted)
        {
            lines.AddRange(result.Errors.Where(e => !said.Contains(e.Message)).Select(e => new string(' ', LabelWidth) + ErrorLines.Format(e)));
            lines.Add(new string(' ', LabelWidth) + $"correlation id {result.CorrelationId}");
        }

        return string.Join(Environment.NewLine, lines);
    }

    private static string Wait(SubmissionResult result) => result.RetryAfter is { } after
        ? string.Create(CultureInfo.InvariantCulture, $" in {Math.Max(1, Math.Ceiling(after.TotalSeconds))} s")
        : " later";

    private static string? Location(SubmissionResult result)
        => result.Record is { } record ? "videos/" + Uri.EscapeDataString(record.TaskId) : null; // as the 202's Location: relative to the API's base

    private static string StatusName(SubmissionStatus status) => status switch
    {
        SubmissionStatus.KeyConflict => "key_conflict",
        SubmissionStatus.InProgress => "in_progress",
        _ => status.ToString().ToLowerInvariant(),
    };
}
