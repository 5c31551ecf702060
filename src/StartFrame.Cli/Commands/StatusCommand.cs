using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ModelStream.Client;
using StartFrame.Core;
using StartFrame.Core.Ledger;
using StartFrame.Core.Records;
using StartFrame.Core.Submissions;

namespace StartFrame.Cli.Commands;

/// <summary>
/// <c>startframe status &lt;taskId&gt; [--json]</c>: what the ledger knows of a task (the same view as
/// <c>GET /api/videos/{taskId}</c>) and, when ModelStream answers, where the video stands now.
/// </summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var taskId = new Argument<string>("taskId") { Description = "ModelStream's task id, as in the task record or the submit output." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object: the ledger's view plus \"modelStream\": {status, progress, resultUrl, failReason} when it answered." };
        var command = new Command("status", """
            Show what the ledger knows of a task (origin, source, model, parameters, state, timestamps, correlation id) and
            ask ModelStream where it stands now (status, progress, result URL). If ModelStream cannot be asked, that is
            said on stderr and the ledger part is still printed (exit 0). Exit code 1 when the ledger has no such task.
            Settings: AzureWebJobsStorage, ModelStream__BaseUrl, ModelStream__ApiKey.
            Example: startframe status task_01hx3f9k2m
            """);
        command.Arguments.Add(taskId);
        command.Options.Add(json);
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(taskId)!, parse.GetValue(json), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string taskId, bool asJson, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        using var host = await CoreHost.TryStartAsync(error, cancellationToken).ConfigureAwait(false);
        if (host is null)
        {
            return ExitCodes.Failure;
        }

        var entry = await host.Services.GetRequiredService<SubmissionLedger>().FindByTaskIdAsync(taskId, cancellationToken).ConfigureAwait(false);
        if (entry is null)
        {
            await error.WriteLineAsync($"status: no task '{taskId}' in the ledger ({StartFrameOptions.LedgerTable}) of the account in {StartFrameOptions.StorageConnectionName}: "
                + "check the id (it is the taskId of the task record) and the account.").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        var view = VideoStatus.From(entry);
        VideoTaskStatus? current = null;
        try
        {
            current = await host.Services.GetRequiredService<ModelStreamClient>().GetTaskAsync(taskId, cancellationToken).ConfigureAwait(false);
        }
        catch (ModelStreamException ex)
        {
            await error.WriteLineAsync($"ModelStream could not be asked for the current status ({FirstLine(ex.Message)}); the ledger's view follows. "
                + "Check ModelStream__BaseUrl and ModelStream__ApiKey, or try again later.").ConfigureAwait(false);
        }

        if (asJson)
        {
            var document = JsonSerializer.SerializeToNode(view, RecordJsonContext.Default.VideoStatus)!.AsObject();
            if (current is not null)
            {
                document["modelStream"] = new JsonObject
                {
                    ["status"] = current.Status,
                    ["progress"] = current.Progress,
                    ["resultUrl"] = current.ResultUrl?.AbsoluteUri,
                    ["failReason"] = current.FailReason,
                };
            }

            await output.WriteLineAsync(CliCatalog.Write(document, indented: false)).ConfigureAwait(false);
        }
        else
        {
            PrintText(view, current, output);
        }

        return ExitCodes.Ok;
    }

    private static void PrintText(VideoStatus view, VideoTaskStatus? current, TextWriter output)
    {
        void Line(string label, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                output.WriteLine($"{label,-12}{value}");
            }
        }

        Line("task", view.TaskId);
        Line("state", $"{view.State} (ledger)");
        Line("origin", view.Origin);
        Line("source", Describe(view.Source));
        Line("model", view.Model);
        Line("created", Time(view.CreatedAt));
        Line("submitted", Time(view.SubmittedAt));
        Line("updated", Time(view.UpdatedAt));
        Line("correlation", view.CorrelationId);
        if (view.Parameters is { } parameters)
        {
            Line("parameters", string.Join(" ", parameters
                .Where(p => p.Key is not "model" and not "images" and not "metadata")
                .Select(p => $"{p.Key}={Json(p.Value)}")));
            if (parameters["metadata"] is JsonObject { Count: > 0 } metadata)
            {
                Line("metadata", string.Join(" ", metadata.Select(p => $"{p.Key}={Json(p.Value)}")));
            }
        }

        if (current is null)
        {
            Line("modelstream", "could not be asked (see stderr)");
            return;
        }

        Line("modelstream", current.Progress is { } progress ? $"{current.Status}, {progress}% done" : current.Status);
        Line("result", current.ResultUrl?.AbsoluteUri is { } url ? url + " (expires after about 24 hours: copy the video)" : null);
        Line("failed", current.FailReason);
    }

    private static string? Describe(RecordSource? source) => source switch
    {
        null => null,
        { Url: { } url } => url,
        { Container: { } container, Blob: { } blob } => source.Etag is { } etag ? $"{container}/{blob} (etag {etag})" : $"{container}/{blob}",
        _ => null,
    };

    private static string? Time(DateTimeOffset? at) => at?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Json(JsonNode? value) => value is null ? "null" : CliCatalog.Write(value, indented: false);

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
