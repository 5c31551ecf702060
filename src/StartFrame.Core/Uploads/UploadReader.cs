using System.Globalization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace StartFrame.Core.Uploads;

/// <summary>
/// Reads only what the checks need, one ranged GET each: the sidecar (at most its size limit plus one byte, so
/// an oversized one is detected without downloading it) and the first 64 KiB of the image (which also yields its
/// length, ETag and content type). The image body is never downloaded.
/// </summary>
public static class UploadReader
{
    /// <summary>The most of an image that is read (the image checks' own limit): enough for any PNG, WebP or ordinary JPEG header.</summary>
    public const int ImageHeadBytes = Validation.ImageValidator.HeaderBytes;

    /// <summary>The largest sidecar accepted (the validator's own limit); one byte more is read to tell "too large".</summary>
    public const int SidecarMaxBytes = Validation.SidecarValidator.MaxSidecarBytes;

    /// <summary>Reads the first <see cref="ImageHeadBytes"/> of an image; null when the blob does not exist (any more).</summary>
    public static async Task<UploadedImage?> ReadImageHeadAsync(BlobClient image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        try
        {
            var (bytes, details) = await ReadRangeAsync(image, ImageHeadBytes, cancellationToken).ConfigureAwait(false);
            return new UploadedImage(bytes, TotalLength(details, bytes.Length), details.ETag.ToString(), details.ContentType, details.BlobContentHash ?? [], details.VersionId, details.LastModified);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
        catch (RequestFailedException ex) when (ex.Status == 416)
        {
            // An empty blob has no byte 0 to range over; the checks reject it by its (zero) length.
            var properties = (await image.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            return new UploadedImage(ReadOnlyMemory<byte>.Empty, 0, properties.ETag.ToString(), properties.ContentType, properties.ContentHash ?? [], properties.VersionId, properties.LastModified);
        }
    }

    /// <summary>The ledger key of an upload: its image's name and content (<see cref="UploadedImage.ContentMd5"/> or ETag) and its sidecar's bytes.</summary>
    public static Ledger.LedgerKey KeyOf(BlobClient image, UploadedImage head, SidecarContent sidecar)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(sidecar);
        var identity = Ledger.UploadIdentity.Of(head.ContentMd5.Span, head.Length, head.ETag, sidecar.Exists ? sidecar.Bytes : null);
        return Ledger.LedgerKey.ForUpload(image.BlobContainerName, image.Name, identity);
    }

    /// <summary>Reads a sidecar; <see cref="SidecarContent.Exists"/> is false when there is none.</summary>
    public static async Task<SidecarContent> ReadSidecarAsync(BlobClient sidecar, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sidecar);
        try
        {
            var (bytes, details) = await ReadRangeAsync(sidecar, SidecarMaxBytes + 1, cancellationToken).ConfigureAwait(false);
            return new SidecarContent(true, sidecar.Name, bytes, TotalLength(details, bytes.Length), details.ETag.ToString());
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return SidecarContent.Missing(sidecar.Name);
        }
        catch (RequestFailedException ex) when (ex.Status == 416)
        {
            var properties = await sidecar.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return new SidecarContent(true, sidecar.Name, ReadOnlyMemory<byte>.Empty, 0, properties.Value.ETag.ToString());
        }
    }

    private static async Task<(ReadOnlyMemory<byte> Bytes, BlobDownloadDetails Details)> ReadRangeAsync(
        BlobClient blob, int count, CancellationToken cancellationToken)
    {
        var options = new BlobDownloadOptions { Range = new HttpRange(0, count) };
        using var download = (await blob.DownloadStreamingAsync(options, cancellationToken).ConfigureAwait(false)).Value;

        // The range answer says how many bytes follow: a 300-byte sidecar gets a 300-byte buffer, not 64 KiB.
        var buffer = new byte[Math.Clamp(download.Details.ContentLength, 0, count)];
        count = buffer.Length;
        var read = 0;
        while (read < count)
        {
            var n = await download.Content.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        return (buffer.AsMemory(0, read), download.Details);
    }

    private static long TotalLength(BlobDownloadDetails details, int read)
    {
        // "bytes 0-65535/52428800": the total after the slash is the blob's length.
        var range = details.ContentRange;
        var slash = range?.LastIndexOf('/') ?? -1;
        if (slash >= 0 && long.TryParse(range.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var total))
        {
            return total;
        }

        return Math.Max(details.ContentLength, read);
    }
}
