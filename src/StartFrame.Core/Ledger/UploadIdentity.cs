using System.Security.Cryptography;

namespace StartFrame.Core.Ledger;

/// <summary>
/// What an upload contains, as the ledger's row key: the image by its stored Content-MD5 and length (which the ranged
/// read returns at no extra cost; <c>startframe upload</c> always sets the MD5, and a single-request upload gets it from
/// the service) or, without an MD5, by its ETag; and the sidecar by the SHA-256 of its bytes (already read for validation).
/// The same image and sidecar uploaded again are the same row, so they are submitted once; a changed sidecar is a
/// new row, a new take.
/// </summary>
public sealed record UploadIdentity
{
    private UploadIdentity(string image, string sidecar)
    {
        Image = image;
        Sidecar = sidecar;
    }

    /// <summary><c>md5-&lt;hex&gt;-&lt;length&gt;</c> or <c>etag-&lt;etag&gt;</c>.</summary>
    public string Image { get; }

    /// <summary><c>sidecar-&lt;sha-256 hex&gt;</c>, or <c>no-sidecar</c>.</summary>
    public string Sidecar { get; }

    /// <summary>The ledger row key: <c>&lt;image&gt;.&lt;sidecar&gt;</c>, at most about 130 characters.</summary>
    public string RowKey => $"{Image}.{Sidecar}";

    /// <summary>The identity of an image (by <paramref name="contentMd5"/> and <paramref name="length"/> when the blob has
    /// an MD5, else by <paramref name="etag"/>) with its sidecar's bytes as read (null: no sidecar).</summary>
    public static UploadIdentity Of(ReadOnlySpan<byte> contentMd5, long length, string etag, ReadOnlyMemory<byte>? sidecar)
    {
        ArgumentNullException.ThrowIfNull(etag);
        var image = contentMd5.Length > 0
            ? $"md5-{Convert.ToHexStringLower(contentMd5)}-{length.ToString(System.Globalization.CultureInfo.InvariantCulture)}"
            : "etag-" + Uri.EscapeDataString(etag.Trim('"'));
        var sidecarPart = sidecar is { } bytes ? "sidecar-" + Convert.ToHexStringLower(SHA256.HashData(bytes.Span)) : "no-sidecar";
        return new UploadIdentity(image, sidecarPart);
    }
}
