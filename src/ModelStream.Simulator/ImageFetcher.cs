using System.Net;

namespace ModelStream.Simulator;

/// <summary>
/// Fetches a task's start frame through the URL it was submitted with, as ModelStream does when it accepts a task: the
/// URL must answer 2xx with at most 50 MB that start like a PNG, JPEG or WebP file. That makes a SAS that does not
/// grant read (or has expired, or names the wrong blob) fail here, as it would against the real service.
/// </summary>
internal sealed class ImageFetcher : IDisposable
{
    /// <summary>The largest start frame ModelStream takes (its form schema: at most 50 MB).</summary>
    public const long MaxImageBytes = 50L * 1000 * 1000;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
    {
        Timeout = System.Threading.Timeout.InfiniteTimeSpan,
    };

    /// <summary>Fetches the image; on success the bytes (only when <paramref name="keep"/>; otherwise read and dropped).</summary>
    /// <returns>The bytes (or an empty array) and null, or null and what is wrong, said without the URL (it may carry a SAS).</returns>
    public async Task<(byte[]? Image, string? Problem)> FetchAsync(string url, bool keep, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return (null, "is not an absolute http(s) URL");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            using var response = await _http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return (null, $"answered {(int)response.StatusCode}{ReasonOf(response.StatusCode)} when fetched");
            }

            if (response.Content.Headers.ContentLength > MaxImageBytes)
            {
                return (null, "is larger than 50 MB");
            }

            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            using var kept = keep ? new MemoryStream() : null;
            var head = new byte[12];
            var headLength = 0;
            var buffer = new byte[64 * 1024];
            var total = 0L;
            int read;
            while ((read = await body.ReadAsync(buffer, timeout.Token).ConfigureAwait(false)) > 0)
            {
                var toHead = Math.Min(read, head.Length - headLength);
                buffer.AsSpan(0, toHead).CopyTo(head.AsSpan(headLength));
                headLength += toHead;
                total += read;
                if (total > MaxImageBytes)
                {
                    return (null, "is larger than 50 MB");
                }

                kept?.Write(buffer, 0, read);
            }

            return IsImage(head.AsSpan(0, headLength))
                ? (kept?.ToArray() ?? [], null)
                : (null, total == 0 ? "serves an empty body, not an image" : "does not serve a PNG, JPEG or WebP image");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            return (null, $"did not answer within {Timeout.TotalSeconds:0} s when fetched");
        }
        catch (HttpRequestException exception)
        {
            return (null, $"could not be fetched ({exception.HttpRequestError})");
        }
        catch (IOException)
        {
            return (null, "could not be fetched (the connection broke mid-body)");
        }
    }

    /// <summary>PNG, JPEG or WebP, by their first bytes: what ModelStream's form schema accepts.</summary>
    internal static bool IsImage(ReadOnlySpan<byte> head) =>
        head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        || head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])
        || (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8));

    public void Dispose() => _http.Dispose();

    private static string ReasonOf(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Forbidden => " (the SAS does not grant read, or has expired)",
        HttpStatusCode.NotFound => " (no such image)",
        _ => "",
    };
}
