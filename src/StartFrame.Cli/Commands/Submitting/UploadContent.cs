using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
using StartFrame.Core.Validation;

namespace StartFrame.Cli.Commands.Submitting;

/// <summary>
/// What <c>upload</c> knows of a file's content: its Content-MD5, computed in the same pass that reads the image's
/// head for validation, set on the blob it uploads (so the pipeline can tell an identical re-upload from a new one at
/// no extra cost), and compared with what is already stored, so an identical file is not uploaded again.
/// </summary>
internal static class UploadContent
{
    /// <summary>The first 64 KiB, the length and the MD5 of an image file, in one read of it.</summary>
    public static async Task<(ImageToCheck Head, byte[] Md5)> ReadImageAsync(FileInfo file, string blobName, string contentType, CancellationToken cancellationToken)
    {
        await using var stream = LocalFiles.OpenRegular(file.FullName);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var head = new byte[ImageValidator.HeaderBytes];
        var headLength = 0;
        var buffer = new byte[81_920];
        long length = 0;
        int read;

        // Bounded by the size the file system reports: a device such as /dev/zero reports 0 and never ends.
        while (length < stream.Length && (read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, stream.Length - length)), cancellationToken).ConfigureAwait(false)) > 0)
        {
            md5.AppendData(buffer, 0, read);
            var toHead = Math.Min(read, head.Length - headLength);
            buffer.AsSpan(0, toHead).CopyTo(head.AsSpan(headLength));
            headLength += toHead;
            length += read;
        }

        if (await stream.ReadAsync(buffer.AsMemory(0, 1), cancellationToken).ConfigureAwait(false) > 0)
        {
            throw new IOException($"'{file.FullName}' is not a regular file (a device), or it grew while being read; give a file.");
        }

        return (new ImageToCheck(head.AsMemory(0, headLength), length, blobName, contentType), md5.GetHashAndReset());
    }

    /// <summary>The MD5 of bytes held in memory (a sidecar).</summary>
    public static byte[] Md5(byte[] bytes)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5); // Content-MD5: storage's content fingerprint, not a security measure
        md5.AppendData(bytes);
        return md5.GetHashAndReset();
    }

    /// <summary>True when <paramref name="name"/> exists with exactly this Content-MD5.</summary>
    public static async Task<bool> IsStoredAsync(BlobContainerClient container, string name, byte[] md5, CancellationToken cancellationToken)
    {
        try
        {
            var stored = (await container.GetBlobClient(name).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value.ContentHash;
            return stored is not null && stored.AsSpan().SequenceEqual(md5);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return false;
        }
    }
}
