using System.Diagnostics.Metrics;

namespace StartFrame.Core.Telemetry;

/// <summary>
/// The few numbers an operator watches, on <see cref="StartFrameTelemetry.Meter"/>. Tags are codes (error codes,
/// outcome words), never free text. An error code may come from ModelStream, so it is kept only when it looks like a code
/// (<see cref="MetricCode"/>); anything else is <c>other</c>: a provider that quotes a secret or a message in its code
/// neither leaks it into a metric nor makes a new time series per answer.
/// </summary>
public static partial class StartFrameMetrics
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

    private static readonly Gauge<int> SlotsHeld = StartFrameTelemetry.Meter.CreateGauge<int>(
        "startframe.provider.slots_in_use", "{slot}", "ModelStream slots held (admission control), as last read from storage by this instance.");

    private static readonly Gauge<int> SlotLimit = StartFrameTelemetry.Meter.CreateGauge<int>(
        "startframe.provider.slot_limit", "{slot}", "The slot limit in force (configured, or learned), as last read by this instance.");

    private static readonly Counter<long> RecordsOwed = StartFrameTelemetry.Meter.CreateCounter<long>(
        "startframe.records.owed", "{record}", "Records that could not be queued and are owed by the ledger.");

    /// <summary>A submission accepted (<paramref name="errorCode"/> null) or refused with that code.</summary>
    public static void Upload(string outcome, string? errorCode) =>
        Uploads.Add(1, new KeyValuePair<string, object?>(TagNames.Outcome, outcome), new KeyValuePair<string, object?>(TagNames.ErrorCode, MetricCode(errorCode)));

    /// <summary>An error code as a metric tag: words of lower-case letters joined by <c>_</c> or <c>.</c> (or
    /// <c>http_</c> and a status), at most <see cref="MaxCodeLength"/> characters; else <see cref="OtherCode"/>. Digits
    /// are refused: a request id or a hex token is a value per answer, not a code.</summary>
    public static string? MetricCode(string? errorCode) =>
        errorCode is null ? null
        : errorCode.Length <= MaxCodeLength && CodeShape().IsMatch(errorCode) ? errorCode
        : OtherCode;

    [System.Text.RegularExpressions.GeneratedRegex("^(?:[a-z]+(?:[_.][a-z]+)*|http_[1-5][0-9][0-9])$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex CodeShape();

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

    /// <summary>
    /// The provider slots held, and the limit, as a read of the slot rows found them. Recorded where the rows are read
    /// anyway (taking a slot; <see cref="SlotsHeldNow"/> for giving one back and counting them), so the gauge costs no storage call of its own; every instance reports the
    /// same account-wide figure, so a dashboard takes the latest (or the maximum), not the sum.
    /// </summary>
    public static void Slots(int held, int limit)
    {
        SlotsHeld.Record(held);
        SlotLimit.Record(limit);
    }

    /// <summary>The provider slots held, as a read of the slot rows found them where the limit was not read (a slot
    /// given back by tracking, a count for a view), so the gauge falls as a batch drains.</summary>
    public static void SlotsHeldNow(int held) => SlotsHeld.Record(Math.Max(0, held));

    /// <summary>A record (task, failure, completion or first poll) left owed in the ledger.</summary>
    public static void RecordOwed(string queue) => RecordsOwed.Add(1, new KeyValuePair<string, object?>("startframe.queue", queue));
}
