using System.Text.Json.Nodes;
using StartFrame.Cli.Commands.Output;
using StartFrame.Core.Problems;

namespace StartFrame.Cli.Commands.Submitting;

/// <summary>How one image's upload ended.</summary>
internal enum UploadStatus
{
    Uploaded,
    Skipped,
    Refused,
    Failed,
}

/// <summary>One image's upload: where it (and its sidecar) went, or why not.</summary>
internal sealed record UploadResult(
    string File,
    string ImageBlob,
    string? SidecarBlob,
    UploadStatus Status,
    IReadOnlyList<ValidationError> Errors,
    string? Detail)
{
    public static UploadResult Refused(string file, string image, string? sidecar, IReadOnlyList<ValidationError> errors)
        => new(file, image, sidecar, UploadStatus.Refused, errors, null);

    public static UploadResult Failed(string file, string image, string? sidecar, string detail)
        => new(file, image, sidecar, UploadStatus.Failed, [], detail);
}

/// <summary>Prints each upload (a line for people, or a JSON object) and folds them into a summary and an exit code.</summary>
internal sealed class UploadReport(TextWriter output, bool json)
{
    private int _uploaded;
    private int _skipped;
    private int _refused;
    private int _failed;

    /// <summary>1 when any upload failed, else 2 when any was refused, else 0.</summary>
    public int ExitCode => _failed > 0 ? ExitCodes.Failure : _refused > 0 ? ExitCodes.Rejected : ExitCodes.Ok;

    public void Add(UploadResult result)
    {
        switch (result.Status)
        {
            case UploadStatus.Uploaded: _uploaded++; break;
            case UploadStatus.Skipped: _skipped++; break;
            case UploadStatus.Refused: _refused++; break;
            default: _failed++; break;
        }

        if (json)
        {
            output.WriteLine(JsonText.Line(ToJson(result)));
            return;
        }

        switch (result.Status)
        {
            case UploadStatus.Uploaded when result.Detail is not null:
                output.WriteLine($"uploaded  {result.ImageBlob} ({result.Detail})");
                break;
            case UploadStatus.Uploaded:
                output.WriteLine(result.SidecarBlob is null
                    ? $"uploaded  {result.ImageBlob} (no sidecar)"
                    : $"uploaded  {result.ImageBlob} (sidecar {result.SidecarBlob} first)");
                break;
            case UploadStatus.Skipped:
                output.WriteLine($"skipped   {result.ImageBlob}: identical content is already there{(result.SidecarBlob is null ? "" : ", sidecar too")}; nothing uploaded, nothing submitted again");
                break;
            case UploadStatus.Refused:
                output.WriteLine($"refused   {result.ImageBlob}: {result.Errors.Count} {(result.Errors.Count == 1 ? "error" : "errors")}, nothing uploaded (fix them, or --no-validate)");
                foreach (var problem in result.Errors)
                {
                    output.WriteLine($"            {problem}");
                }

                break;
            default:
                output.WriteLine($"failed    {result.ImageBlob}: {result.Detail}");
                break;
        }
    }

    /// <summary>One line with the counts (on stderr under --json, so stdout stays one object per image).</summary>
    public void Summarise(TextWriter writer)
    {
        var total = _uploaded + _skipped + _refused + _failed;
        var skipped = _skipped > 0 ? $", {_skipped} skipped (identical content already there)" : "";
        writer.WriteLine($"{total} {(total == 1 ? "image" : "images")}: {_uploaded} uploaded{skipped}, {_refused} refused, {_failed} failed.");
    }

    private static JsonObject ToJson(UploadResult result)
    {
        var document = new JsonObject
        {
            ["file"] = result.File,
            ["image"] = result.ImageBlob,
            ["sidecar"] = result.SidecarBlob,
            ["status"] = result.Status.ToString().ToLowerInvariant(),
            ["errors"] = new JsonArray([.. result.Errors.Select(e => (JsonNode)new JsonObject
            {
                ["field"] = e.Field,
                ["code"] = e.Code,
                ["message"] = e.Message,
            })]),
        };
        if (result.Detail is not null)
        {
            document["detail"] = result.Detail;
        }

        return document;
    }
}
