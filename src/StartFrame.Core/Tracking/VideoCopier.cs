using System.Net;
using Azure;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using StartFrame.Core.Records;

namespace StartFrame.Core.Tracking;

/// <summary>
/// Copies a result video from its signed URL into a blob, streaming: the response body is handed to the upload, which
/// reads it in blocks of <see cref="BlockSize"/>, so memory stays flat whatever the video's size. The blob is written
/// only if it does not exist yet (<c>If-None-Match: *</c> on the commit), so two runs copying the same task leave one
/// blob, and a half-read body is never committed. A server-side copy (Put Blob From URL) would save the transfer, but
/// Azurite cannot run it, and the tests must.
/// </summary>
public sealed class VideoCopier(IHttpClientFactory httpClients)
{
    /// <summary>The named HTTP client of the downloads (no loggers: the URL's query is a signature).</summary>
    public const string HttpClientName = "startframe-video-download";

    /// <summary>How much of a video is held at once per block being uploaded.</summary>
    public const int BlockSize = 4 * 1024 * 1024;

    /// <summary>Blocks uploaded in parallel: at most this many × <see cref="BlockSize"/> in memory per copy.</summary>
    public const int Concurrency = 2;

    private static readonly TimeSpan HeadersTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Copies <paramref name="resultUrl"/> into <paramref name="destination"/> unless it is there already.</summary>
    public async Task<CopyResult> CopyAsync(Uri resultUrl, BlobClient destination, IDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resultUrl);
        ArgumentNullException.ThrowIfNull(destination);
        using var request = new HttpRequestMessage(HttpMethod.Get, resultUrl);
        HttpResponseMessage response;
        using (var headers = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            headers.CancelAfter(HeadersTimeout);
            try
            {
                response = await httpClients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, headers.Token).ConfigureAwait(false);
            }
            catch (HttpRequestException ex)
            {
                return CopyResult.Transient(0, $"the result URL could not be reached ({ex.HttpRequestError})");
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return CopyResult.Transient(0, $"the result URL did not answer within {HeadersTimeout.TotalSeconds:0} s");
            }
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.Gone or HttpStatusCode.Unauthorized)
            {
                return CopyResult.Expired(status);
            }

            if (!response.IsSuccessStatusCode)
            {
                return CopyResult.Transient(status, $"the result URL answered {status}");
            }

            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using var counted = new CountingReadStream(body);
            try
            {
                // A stream of unknown length is always staged as blocks and committed (two calls at least); a video that
                // fits in one block is read into memory first, so it is one Put Blob — no more memory than a block.
                await using var buffered = response.Content.Headers.ContentLength is <= BlockSize
                    ? await BufferAsync(counted, cancellationToken).ConfigureAwait(false)
                    : null;
                await destination.UploadAsync(buffered ?? (Stream)counted, new BlobUploadOptions
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
            catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
            {
                return CopyResult.Transient(status, $"the download broke off after {counted.BytesRead:N0} bytes");
            }

            return CopyResult.Copied(counted.BytesRead);
        }
    }

    private static async Task<MemoryStream> BufferAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        await body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        buffer.Position = 0;
        return buffer;
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
/// <param name="Outcome">Copied, already there, expired URL, or a transient failure.</param>
/// <param name="Length">The video's length, when it is in storage.</param>
/// <param name="Status">The HTTP status of the result URL or storage, when there was one.</param>
/// <param name="Detail">What went wrong, for logs (never the URL).</param>
public sealed record CopyResult(CopyOutcome Outcome, long Length, int Status, string Detail)
{
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
}
