using System.Globalization;
using System.Text.Json.Nodes;
using StartFrame.Core;
using StartFrame.Core.OperatorViews;
using StartFrame.Core.Records;

namespace StartFrame.Cli.Commands.Output;

/// <summary>How the operator views (<c>records</c>, <c>failures</c>) show a peeked record in one line, and what a peek could not see.</summary>
internal static class RecordLines
{
    /// <summary>What a peek of one queue saw, and honestly what it could not.</summary>
    public static string Summary(RecordPeek peek)
    {
        ArgumentNullException.ThrowIfNull(peek);
        var seen = peek.Records.Count;
        return peek.ApproximateCount switch
        {
            null => $"{peek.Queue}: no such queue yet (the function app creates it at start; nothing was written to it).",
            _ when peek.MayHoldMore =>
                $"{peek.Queue}: the first {seen} of about {peek.ApproximateCount} messages (a peek sees at most the first {RecordPeeker.PeekLimit} visible ones; "
                + "the rest show once consumers take these, and messages a consumer holds right now are not visible).",
            _ => $"{peek.Queue}: {seen} {(seen == 1 ? "record" : "records")}.",
        };
    }

    /// <summary>The status column: a task's or completion's status, a failure's stage (and whether it may have been charged).</summary>
    public static string? Status(PeekedRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Problem is not null)
        {
            return "unreadable";
        }

        return record.Queue == StartFrameOptions.FailuresQueue
            ? Flag(record.Record, "ambiguous") ? "ambiguous" : Text(record.Record, "stage")
            : Text(record.Record, "status");
    }

    /// <summary>The record in one line: its image, model and origin; its video or error; or why it was refused.</summary>
    public static string Describe(PeekedRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var stored = record.RecordBlob is { } at ? $" [stored in {at.Container}/{at.Blob}]" : "";
        if (record.Problem is { } problem || record.Record is not { } json)
        {
            return $"message {record.MessageId}: {record.Problem}{stored}";
        }

        var source = Source(json);
        var text = record.Queue switch
        {
            StartFrameOptions.TasksQueue => $"{source} ({Text(json, "origin")}, {Text(json, "model")})",
            StartFrameOptions.CompletionsQueue when json["video"] is JsonObject video =>
                string.Create(CultureInfo.InvariantCulture, $"{source} -> {Text(video, "container")}/{Text(video, "blob")} ({video["length"]?.GetValue<long>():N0} bytes)"),
            StartFrameOptions.CompletionsQueue => $"{source}: {Text(json["error"] as JsonObject, "code")}: {Text(json["error"] as JsonObject, "message")}",
            _ => $"{source}: {FirstError(json)}",
        };
        return text + stored;
    }

    /// <summary>The image a record is about: <c>start-frames/a/cat.png</c> or its URL.</summary>
    public static string Source(JsonObject record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var source = record["source"] as JsonObject;
        return Text(source, "container") is { } container && Text(source, "blob") is { } blob ? $"{container}/{blob}" : Text(source, "url") ?? "(no image)";
    }

    /// <summary>A failure record's first error, and how many more there were.</summary>
    public static string FirstError(JsonObject record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record["errors"] is not JsonArray { Count: > 0 } errors || errors[0] is not JsonObject first)
        {
            return "(no error given)";
        }

        var line = ErrorLines.Format(new RecordError(Text(first, "field") ?? "", Text(first, "code") ?? "", Text(first, "message") ?? ""));
        var count = record["errorCount"] is JsonValue value && value.TryGetValue<int>(out var n) ? n : errors.Count;
        return count > 1 ? $"{line} (and {count - 1} more)" : line;
    }

    private static bool Flag(JsonObject? json, string name) => json?[name] is JsonValue value && value.TryGetValue<bool>(out var flag) && flag;

    private static string? Text(JsonObject? json, string name) => json?[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>A time as the listings show it: UTC, to the second.</summary>
    public static string? Time(DateTimeOffset? at) => at?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
