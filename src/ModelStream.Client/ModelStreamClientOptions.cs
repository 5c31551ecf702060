using System.ComponentModel.DataAnnotations;

namespace ModelStream.Client;

/// <summary>Options of <see cref="ModelStreamClient"/>, bound from the <c>ModelStream</c> configuration section.</summary>
public sealed class ModelStreamClientOptions : IValidatableObject
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "ModelStream";

    /// <summary>Service root; the client appends <c>/v1/video/generations</c>.</summary>
    [Required]
    public Uri BaseUrl { get; set; } = new("https://api.modelstream.ai");

    /// <summary>The Bearer key (<c>sk-…</c>). In Azure it comes from Key Vault through an app-setting reference.</summary>
    [Required(ErrorMessage = "ModelStream__ApiKey is not set: it must hold the ModelStream Bearer key (sk-…)")]
    public string ApiKey { get; set; } = "";

    /// <summary>
    /// Retries after the first attempt, spent only on answers that prove the request was not processed
    /// (429, 503, or no connection). 0 turns retrying off.
    /// </summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>First retry delay; later ones grow exponentially, with jitter, up to <see cref="MaxRetryDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest the client waits before a retry. A <c>Retry-After</c> longer than this ends the retries:
    /// the call fails as <see cref="ModelStreamFailureKind.Transient"/> carrying <see cref="ModelStreamException.RetryAfter"/>,
    /// so the caller (e.g. a queue with visibility timeouts) waits instead of holding a function open.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long one attempt may wait for the response headers. A timeout is never retried: the request may
    /// have been accepted, so it fails as <see cref="ModelStreamFailureKind.Ambiguous"/>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The most bytes of one answer body (a submit's, a poll's or an error's) the client reads. It reads the body as a
    /// stream and stops there: a larger answer is unreadable — <see cref="ModelStreamFailureKind.Ambiguous"/> for a submit's
    /// success (it may have been charged), <see cref="ModelStreamFailureKind.Transient"/> for a poll's — and an error
    /// answer is then judged by its status alone. Real answers are a few hundred bytes; the bound keeps a broken or
    /// hostile gateway from costing the process the whole body in memory.
    /// </summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxResponseBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// The account's limit of unfinished tasks, when it is known; beyond it ModelStream answers 429
    /// <c>rate_limit_exceeded</c>. The client does not enforce it: StartFrame's admission control submits only while
    /// fewer tasks are unfinished. 0: admission control learns the limit from ModelStream's answers. Unset: no admission
    /// control.
    /// </summary>
    [Range(0, 10000)]
    public int? MaxConcurrentTasks { get; set; }

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (BaseUrl is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)))
        {
            yield return new ValidationResult("BaseUrl must be an absolute http(s) URL.", [nameof(BaseUrl)]);
        }

        if (MaxRetryDelay < RetryBaseDelay)
        {
            yield return new ValidationResult("MaxRetryDelay must not be shorter than RetryBaseDelay.", [nameof(MaxRetryDelay), nameof(RetryBaseDelay)]);
        }
    }
}
