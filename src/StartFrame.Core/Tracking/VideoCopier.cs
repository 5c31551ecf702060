using System.Net;
using Azure;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Options;
using StartFrame.Core.Records;

namespace StartFrame.Core.Tracking;

/// <summary>
/// Copies a result video from its signed URL into a blob, streaming: the response body is handed to the upload, which
/// reads it in blocks of <see cref="BlockSize"/>, so memory stays flat whatever the video's size. The provider chooses
/// the URL, so nothing about the answer is trusted: each hop of a redirect passes <see cref="ResultUrlPolicy"/> (https to
/// a public address), the answer must be a video (<see cref="VideoSignature"/>: not HTML or JSON, an <c>ftyp</c> box
/// first) before anything is written, at most <c>VideoMaxBytes</c> are read, a read that waits longer than
/// <c>VideoReadIdleTimeout</c> or a copy longer than <c>VideoCopyDeadline</c> is given up. The blob is written only if it
/// does not exist yet (<c>If-None-Match: *</c> on the commit), so two runs copying the same task leave one blob, and a
/// body stopped half-way is never committed: nothing is under the video's name until the whole video is. A server-side
/// copy (Put Blob From URL) would save the transfer, but Azurite cannot run it, and the tests must.
/// </summary>
public sealed class VideoCopier(IHttpClientFactory httpClients, ResultUrlPolicy policy, IOptions<StartFrameOptions> options)
{
    /// <summary>The named HTTP client of the downloads (no loggers: the URL's query is a signature).</summary>
    public const string HttpClientName = "startframe-video-download";

    /// <summary>How much of a video is held at once per block being uploaded.</summary>
    public const int BlockSize = 4 * 1024 * 1024;

    /// <summary>Blocks uploaded in parallel: at most this many × <see cref="BlockSize"/> in memory per copy.</summary>
    public const int Concurrency = 2;

    /// <summary>The most redirects followed from one result URL (a CDN needs one or two).</summary>
    public const int MaxRedirects = 5;

    private static readonly TimeSpan HeadersTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Copies <paramref name="resultUrl"/> into <paramref name="destination"/> unless it is there already.</summary>
    public async Task<CopyResult> CopyAsync(Uri resultUrl, BlobClient destination, IDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resultUrl);
        ArgumentNullException.ThrowIfNull(destination);
        var deadline = options.Value.VideoCopyDeadline;
        using var overall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        overall.CancelAfter(deadline);
        try
        {
            return await CopyWithinAsync(resultUrl, destination, metadata, overall.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return CopyResult.Transient(0, $"the copy took longer than {deadline} (StartFrame__VideoCopyDeadline)");
        }
    }

    private async Task<CopyResult> CopyWithinAsync(Uri resultUrl, BlobClient destination, IDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        var (answer, refused) = await FetchAsync(resultUrl, cancellationToken).ConfigureAwait(false);
        if (answer is null)
        {
            return refused!;
        }

        using var response = answer;
        var status = (int)response.StatusCode;
        if (response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.Gone or HttpStatusCode.Unauthorized)
        {
            return CopyResult.Expired(status);
        }

        if (!response.IsSuccessStatusCode)
        {
            return CopyResult.Transient(status, $"the result URL answered {status}");
        }

        if (VideoSignature.ContentTypeProblem(response.Content.Headers.ContentType) is { } typeProblem)
        {
            return CopyResult.Transient(status, typeProblem);
        }

        var settings = options.Value;
        if (response.Content.Headers.ContentLength is { } declared && declared > settings.VideoMaxBytes)
        {
            return CopyResult.TooLarge($"the result URL announced {declared:N0} bytes, more than the {settings.VideoMaxBytes:N0} allowed (StartFrame__VideoMaxBytes); nothing was read");
        }

        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using var guarded = new GuardedReadStream(body, settings.VideoMaxBytes, settings.VideoReadIdleTimeout, "StartFrame__VideoMaxBytes", "StartFrame__VideoReadIdleTimeout");
        try
        {
            // The first block is read before anything is written: it tells a video from an impostor, and a video that
            // fits in it is one Put Blob. A longer one goes on streaming behind it, staged as blocks and committed last.
            await using var first = await ReadBlockAsync(guarded, cancellationToken).ConfigureAwait(false);
            var whole = first.Length < BlockSize;
            if (VideoSignature.Problem(first.GetBuffer().AsSpan(0, (int)first.Length), whole) is { } notVideo)
            {
                return CopyResult.Transient(status, notVideo);
            }

            var source = whole ? (Stream)first : new PrefixedStream(first, guarded);
            await destination.UploadAsync(source, new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = CompletionVideo.Mp4 },
                Metadata = metadata,
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                TransferOptions = new StorageTransferOptions
                {
                    InitialTransferSize = BlockSize,
                    MaximumTransferSize = BlockSize,
                    MaximumConcurrency = Concurrency,
                },
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict || ex.ErrorCode == BlobErrorCode.BlobAlreadyExists)
        {
            // Another run (or an earlier one that died before its record) committed it first: the same video.
            return await ExistingAsync(destination, cancellationToken).ConfigureAwait(false)
                ?? CopyResult.Transient(ex.Status, "the video blob existed and then vanished");
        }
        catch (RequestFailedException ex)
        {
            return CopyResult.Transient(ex.Status, $"storage refused the video ({ex.Status} {ex.ErrorCode})");
        }
        catch (Exception ex) when (Find<VideoReadStoppedException>(ex) is { } stopped)
        {
            return stopped.Permanent ? CopyResult.TooLarge(stopped.Message) : CopyResult.Transient(status, stopped.Message);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            return CopyResult.Transient(status, $"the download broke off after {guarded.BytesRead:N0} bytes");
        }

        return CopyResult.Copied(guarded.BytesRead);
    }

    /// <summary>Sends the GET and follows redirects one hop at a time, each hop checked before it is requested; the
    /// answer, or why there is none (refused for good, or worth another try).</summary>
    private async Task<(HttpResponseMessage? Response, CopyResult? Failure)> FetchAsync(Uri resultUrl, CancellationToken cancellationToken)
    {
        var client = httpClients.CreateClient(HttpClientName);
        var url = resultUrl;
        for (var hop = 0; ; hop++)
        {
            if (policy.Problem(url) is { } problem)
            {
                return (null, CopyResult.Refused(hop == 0 ? $"the result URL was refused: {problem}" : $"the result URL redirected to a URL that was refused: {problem}"));
            }

            HttpResponseMessage response;
            using (var request = new HttpRequestMessage(HttpMethod.Get, url))
            using (var headers = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                headers.CancelAfter(HeadersTimeout);
                try
                {
                    response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, headers.Token).ConfigureAwait(false);
                }
                catch (HttpRequestException ex) when (Find<ForbiddenResultAddressException>(ex) is { } forbidden)
                {
                    return (null, CopyResult.Refused($"the result URL was refused: {forbidden.Message}"));
                }
                catch (HttpRequestException ex)
                {
                    return (null, CopyResult.Transient(0, $"the result URL could not be reached ({ex.HttpRequestError})"));
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    return (null, CopyResult.Transient(0, $"the result URL did not answer within {HeadersTimeout.TotalSeconds:0} s"));
                }
            }

            if ((int)response.StatusCode is 301 or 302 or 303 or 307 or 308 && response.Headers.Location is { } location)
            {
                response.Dispose();
                if (hop == MaxRedirects)
                {
                    return (null, CopyResult.Refused($"the result URL redirected more than {MaxRedirects} times"));
                }

                url = location.IsAbsoluteUri ? location : new Uri(url, location);
                continue;
            }

            return (response, null);
        }
    }

    private static async Task<MemoryStream> ReadBlockAsync(Stream body, CancellationToken cancellationToken)
    {
        var block = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while (block.Length < BlockSize
            && (read = await body.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, BlockSize - block.Length)), cancellationToken).ConfigureAwait(false)) > 0)
        {
            block.Write(chunk, 0, read);
        }

        block.Position = 0;
        return block;
    }

    private static T? Find<T>(Exception? exception)
        where T : Exception
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is T found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>The stored copy, when a run that died after committing it left one.</summary>
    public static async Task<CopyResult?> ExistingAsync(BlobClient destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        try
        {
            var properties = await destination.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return CopyResult.AlreadyThere(properties.Value.ContentLength);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}

/// <summary>What a copy came to.</summary>
/// <param name="Outcome">Copied, already there, expired URL, refused for good, or a transient failure.</param>
/// <param name="Length">The video's length, when it is in storage.</param>
/// <param name="Status">The HTTP status of the result URL or storage, when there was one.</param>
/// <param name="Detail">What went wrong, for logs and records (never the URL).</param>
/// <param name="Code">The completion record's error code of a refusal.</param>
public sealed record CopyResult(CopyOutcome Outcome, long Length, int Status, string Detail, string? Code = null)
{
    internal static CopyResult Refused(string detail) => new(CopyOutcome.Refused, 0, 0, detail, CompletionErrorCodes.ResultUrlRefused);

    internal static CopyResult TooLarge(string detail) => new(CopyOutcome.Refused, 0, 200, detail, CompletionErrorCodes.VideoTooLarge);

    internal static CopyResult Copied(long length) => new(CopyOutcome.Copied, length, 200, "copied");

    internal static CopyResult AlreadyThere(long length) => new(CopyOutcome.AlreadyThere, length, 0, "already in storage");

    internal static CopyResult Expired(int status) => new(CopyOutcome.Expired, 0, status, $"the result URL answered {status}");

    internal static CopyResult Transient(int status, string detail) => new(CopyOutcome.Transient, 0, status, detail);
}

/// <summary>The kinds of <see cref="CopyResult"/>.</summary>
public enum CopyOutcome
{
    /// <summary>This run copied the video.</summary>
    Copied,

    /// <summary>The video was already in storage (a duplicate delivery, or a run that died before its record).</summary>
    AlreadyThere,

    /// <summary>The result URL was refused: expired or revoked. Trying again cannot help.</summary>
    Expired,

    /// <summary>The URL or storage failed in a way that may pass: try again later.</summary>
    Transient,

    /// <summary>The URL leads where nothing is fetched, or the video is larger than allowed: trying again cannot help.</summary>
    Refused,
}
