using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using ModelStream.Client;

namespace StartFrame.Core.Redaction;

/// <summary>
/// The one place that takes secrets out of text before it leaves the process: records, ledger properties, log
/// arguments, CLI output and HTTP answers all pass through <see cref="Text"/>. It removes the configured secrets
/// (the ModelStream API key) wherever they appear, URL user info (<c>https://user:password@host</c>), the whole
/// query and fragment of every URL (a SAS, a signed S3/GCS URL or a token can hide in any parameter), signature
/// parameters quoted without their URL (<c>sig=…</c>, <c>AccountKey=…</c>), and bearer tokens.
/// </summary>
public sealed partial class Redactor
{
    /// <summary>What a removed secret is replaced with.</summary>
    public const string Mask = "[redacted]";

    // The storage emulator's account key, published in Azurite's and Microsoft's docs: not a secret, and `startframe dev`
    // must print a connection string that works (the emulator on other ports than UseDevelopmentStorage's needs it).
    private const string EmulatorAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    // Shorter values are too likely to occur by chance to be replaced wherever they appear.
    private const int MinimumSecretLength = 6;

    private readonly string[] _secrets;

    /// <summary>A redactor that also removes each of <paramref name="secrets"/> verbatim.</summary>
    public Redactor(IEnumerable<string?> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        _secrets = [.. secrets
            .Where(s => s is { Length: >= MinimumSecretLength })
            .Select(s => s!)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(s => s.Length)];
    }

    /// <summary>
    /// The redactor of a process, from its configuration: the <c>ModelStream:ApiKey</c> setting
    /// (<c>ModelStream__ApiKey</c> in the environment) the ModelStream options bind, read as it is so that a missing
    /// or invalid key is still reported by the options' validation. The app's container and the CLI's own output
    /// (before any container exists) both use it.
    /// </summary>
    public static Redactor FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new Redactor([configuration[$"{ModelStreamClientOptions.SectionName}:{nameof(ModelStreamClientOptions.ApiKey)}"]]);
    }

    /// <summary><paramref name="text"/> with every secret replaced by <see cref="Mask"/>; null stays null.</summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(text))]
    public string? Text(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        text = UrlPattern().Replace(text, match => RedactUrl(match.Value));
        text = SecretParameterPattern().Replace(text, match =>
            match.Value.EndsWith("=" + EmulatorAccountKey, StringComparison.Ordinal) ? match.Value : match.Groups["name"].Value + "=" + Mask);
        return BearerPattern().Replace(text, "Bearer " + Mask);
    }

    /// <summary>
    /// A URL as records and the ledger keep it: scheme, host, port and path only — no user info, no query, no
    /// fragment. What is not an absolute URL is returned through <see cref="Text"/>.
    /// </summary>
    public string Url(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return Uri.TryCreate(url, UriKind.Absolute, out var parsed) ? Url(parsed) : Text(url);
    }

    /// <summary>A URL without user info, query or fragment; text that is not an absolute URL loses everything from its
    /// first <c>?</c> or <c>#</c> (a static form for where no configured secret can appear, e.g. a service's result URL).</summary>
    public static string UrlOnly(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return Uri.TryCreate(url, UriKind.Absolute, out var parsed) ? Url(parsed) : url.Split('?', '#')[0];
    }

    /// <summary>A URL without user info, query or fragment.</summary>
    public static string Url(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.IsAbsoluteUri
            ? url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped)
            : url.OriginalString.Split('?', '#')[0];
    }

    private static string RedactUrl(string url)
    {
        // scheme://[userinfo@]authority[/path][?query][#fragment], as it appears inside free text.
        var authorityStart = url.IndexOf("://", StringComparison.Ordinal) + 3;
        var queryStart = url.IndexOfAny(['?', '#'], authorityStart);
        var withoutQuery = queryStart < 0 ? url : url[..queryStart];
        var authorityEnd = withoutQuery.IndexOf('/', authorityStart);
        var authority = authorityEnd < 0 ? withoutQuery[authorityStart..] : withoutQuery[authorityStart..authorityEnd];
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            withoutQuery = string.Concat(withoutQuery.AsSpan(0, authorityStart), Mask, withoutQuery.AsSpan(authorityStart + at));
        }

        return queryStart < 0 ? withoutQuery : withoutQuery + "?" + Mask;
    }

    // Stops where a URL quoted in prose or JSON ends: whitespace, quotes, angle brackets.
    [GeneratedRegex(@"\b[A-Za-z][A-Za-z0-9+.\-]*://[^\s""'<>`]+", RegexOptions.CultureInvariant)]
    private static partial Regex UrlPattern();

    // Signature-bearing parameters and connection-string secrets quoted without a URL around them.
    [GeneratedRegex(
        @"(?<=^|[\s?&;,""'(\[{])(?<name>sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token|x-goog-signature|x-goog-credential|skoid|sktid|skt|ske|sks|skv|saoid|suoid|scid|sdd|token|access_token|refresh_token|id_token|api[_-]?key|apikey|access[_-]?key|secret|client_secret|password|passwd|pwd|accountkey|sharedaccesssignature|sharedaccesskey)=[^\s&;""'<>`]*",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretParameterPattern();

    // A token is 8+ characters with a digit, or 20+ of any token characters: prose such as "the ModelStream Bearer key
    // (sk-…)" or "Bearer authentication." is left as written, while keys, JWTs and long opaque tokens are masked.
    [GeneratedRegex(@"\bBearer\s+(?:(?=[A-Za-z0-9._~+/\-]*[0-9])[A-Za-z0-9._~+/\-]{8,}|[A-Za-z0-9._~+/\-]{20,})=*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BearerPattern();
}
