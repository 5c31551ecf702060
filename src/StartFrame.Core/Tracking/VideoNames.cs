using System.Text.RegularExpressions;
using StartFrame.Core.Ledger;
using StartFrame.Core.Records;
using StartFrame.Core.Redaction;
using StartFrame.Core.Storage;
using StartFrame.Core.Uploads;

namespace StartFrame.Core.Tracking;

/// <summary>
/// Where a finished video goes, and what its blob says about itself. The name is predictable from the start frame —
/// <c>start-frames/a/b/cat.png</c> → <c>videos/a/b/cat/&lt;taskId&gt;.mp4</c> — and carries the task id, so a later take
/// of the same frame never overwrites an earlier, paid one. The limits of blob names live here, next to the one
/// writer of that container.
/// </summary>
public static partial class VideoNames
{
    /// <summary>The folder of videos submitted by image URL (no blob of ours to name them after).</summary>
    public const string ByUrlFolder = "by-url";

    /// <summary>The folder of videos whose start frame's name cannot be reused (too long, or segments the service would
    /// normalise away): named by a hash of the start frame's path instead.</summary>
    public const string ByHashFolder = "by-hash";

    /// <summary>Metadata keys and values share an 8 KiB budget per blob; a start frame's escaped name may take this much.</summary>
    public const int MaxStartFrameMetadataLength = 4096;

    /// <summary>The blob name (within <c>videos</c>) of task <paramref name="taskId"/> made from <paramref name="source"/>.</summary>
    public static string For(RecordSource source, string taskId)
    {
        ArgumentNullException.ThrowIfNull(source);
        var file = SafeTaskId(taskId) + ".mp4";
        if (source.Container != StartFrameOptions.UploadsContainer || string.IsNullOrEmpty(source.Blob))
        {
            return $"{ByUrlFolder}/{file}";
        }

        var stem = UploadNames.Stem(source.Blob);
        var name = $"{stem}/{file}";
        var segments = stem.Split('/');
        var reusable = stem.Length > 0
            && name.Length <= BlobNames.MaxLength
            && segments.Length + 1 <= BlobNames.MaxSegments
            && segments.All(s => s.Length > 0 && s != "." && s != ".." && !s.EndsWith('.'));
        return reusable ? name : $"{ByHashFolder}/{Hash(source.Blob)}/{file}";
    }

    /// <summary>
    /// The blob's metadata: the task, the start frame and the correlation id. Metadata values must be ASCII, and a start
    /// frame's name may hold any Unicode, so values are percent-escaped (<c>Uri.UnescapeDataString</c> reads them back).
    /// </summary>
    public static IDictionary<string, string> Metadata(string taskId, RecordSource source, string correlationId)
    {
        ArgumentNullException.ThrowIfNull(source);
        var startFrame = source.Blob is not null
            ? $"{source.Container}/{source.Blob}"
            : source.Url is not null ? Redactor.UrlOnly(source.Url) : "";
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["taskid"] = Uri.EscapeDataString(taskId),
            ["correlationid"] = Uri.EscapeDataString(correlationId),
        };
        var escaped = Uri.EscapeDataString(startFrame);
        if (escaped.Length <= MaxStartFrameMetadataLength)
        {
            metadata["startframe"] = escaped;
        }
        else
        {
            metadata["startframesha256"] = Hash(startFrame);
        }

        return metadata;
    }

    /// <summary>The task id as a file name: ModelStream's ids are short and alphanumeric, but one that is not (a slash,
    /// dot segments, anything outside ASCII) must not steer the blob elsewhere, so it is replaced by its hash.</summary>
    public static string SafeTaskId(string taskId)
    {
        ArgumentException.ThrowIfNullOrEmpty(taskId);
        return PlainTaskId().IsMatch(taskId) ? taskId : "t-" + Hash(taskId);
    }

    private static string Hash(string text) => LedgerKey.Hash(text)[..32];

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$")]
    private static partial Regex PlainTaskId();
}
