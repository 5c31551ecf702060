using System.Diagnostics.Metrics;

namespace StartFrame.Core.Telemetry;

/// <summary>
/// The few numbers an operator watches, on <see cref="StartFrameTelemetry.Meter"/>. Tags are codes (error codes,
/// outcome words), never free text. An error code may come from ModelStream, so it is kept only when it looks like a code
/// (<see cref="MetricCode"/>); anything else is <c>other</c>: a provider that quotes a secret or a message in its code
/// neither leaks it into a metric nor makes a new time series per answer.
/// </summary>
public static class StartFrameMetrics
{
    /// <summary>The error code tag for what does not look like a code.</summary>
    public const string OtherCode = "other";

    /// <summary>The longest error code kept as a tag.</summary>
    public const int MaxCodeLength = 48;

    private static readonly Counter<long> Uploads = StartFrameTelemetry.Meter.CreateCounter<long>(
        "startframe.uploads", "{upload}", "Submissions accepted (POSTed) or refused, by outcome and error code.");

    private static readonly Counter<long> Posts = StartFrameTelemetry.Meter.CreateCounter<long>(
        "startframe.modelstream.posts", "{request}", "POSTs to ModelStream, by HTTP status.");

    private static readonly Counter<long> RateLimited = StartFrameTelemetry.Meter.CreateCounter<long>(
        "startframe.modelstream.rate_limited", "{response}", "429 answers from ModelStream.");

    private static readonly Counter<long> Polls = StartFrameTelemetry.Meter.CreateCounter<long>(
        "startframe.polls", "{poll}", "Tracking polls, by what they found.");

    private static readonly Counter<long> CopyBytes = StartFrameTelemetry.Meter.CreateCounter<long>(
        "startframe.copy.bytes", "By", "Bytes of video copied into storage.");

    private static readonly Histogram<double> CopyDuration = StartFrameTelemetry.Meter.CreateHistogram<double>(
        "startframe.copy.duration", "s", "How long a video copy took.");

    private static readonly Histogram<double> UploadToVideo = StartFrameTelemetry.Meter.CreateHistogram<double>(
        "startframe.upload_to_video", "s", "From ModelStream accepting the task to its video stored.");

    private static readonly Counter<long> RecordsOwed = StartFrameTelemetry.Meter.CreateCounter<long>(
        "startframe.records.owed", "{record}", "Records that could not be queued and are owed by the ledger.");

    /// <summary>A submission accepted (<paramref name="errorCode"/> null) or refused with that code.</summary>
    public static void Upload(string outcome, string? errorCode) =>
        Uploads.Add(1, new KeyValuePair<string, object?>(TagNames.Outcome, outcome), new KeyValuePair<string, object?>(TagNames.ErrorCode, MetricCode(errorCode)));

    /// <summary>An error code as a metric tag: lower-case letters, digits, <c>_</c> and <c>.</c>, at most
    /// <see cref="MaxCodeLength"/> characters; else <see cref="OtherCode"/>.</summary>
    public static string? MetricCode(string? errorCode) =>
        errorCode is null ? null
        : errorCode.Length is > 0 and <= MaxCodeLength && errorCode.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '.') ? errorCode
        : OtherCode;

    /// <summary>A POST answered with <paramref name="status"/> (0: no answer).</summary>
    public static void Post(int status)
    {
        Posts.Add(1, new KeyValuePair<string, object?>(TagNames.HttpStatus, status));
        if (status == 429)
        {
            RateLimited.Add(1);
        }
    }

    /// <summary>A poll that found <paramref name="outcome"/>.</summary>
    public static void Poll(string outcome) => Polls.Add(1, new KeyValuePair<string, object?>(TagNames.Outcome, outcome));

    /// <summary>A copy of <paramref name="bytes"/> that took <paramref name="duration"/>.</summary>
    public static void Copied(long bytes, TimeSpan duration)
    {
        CopyBytes.Add(bytes);
        CopyDuration.Record(duration.TotalSeconds);
    }

    /// <summary>A video stored <paramref name="elapsed"/> after its task was accepted.</summary>
    public static void VideoStored(TimeSpan elapsed) => UploadToVideo.Record(elapsed.TotalSeconds);

    /// <summary>A record (task, failure, completion or first poll) left owed in the ledger.</summary>
    public static void RecordOwed(string queue) => RecordsOwed.Add(1, new KeyValuePair<string, object?>("startframe.queue", queue));
}
