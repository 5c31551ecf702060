using System.Diagnostics.CodeAnalysis;
using Azure.Storage.Blobs;

namespace StartFrame.Core.Storage;

/// <summary>
/// Blob names that come from outside (an HTTP body's or a queue message's <c>blob</c>, <c>startframe submit</c>,
/// <c>process</c> and <c>redrive</c> arguments, <c>upload --prefix</c>) are plain names in the uploads container or
/// nothing: the SDK builds a URL from the name and the URL normalises <c>..</c> away, so
/// <c>start-frames/../secret/x.png</c> would address container <c>secret</c>. The limits are the store's own
/// (1,024 characters, 254 segments); the rest keeps names to what the pipeline can name back unambiguously.
/// </summary>
public static class BlobNames
{
    /// <summary>The longest blob name Azure Storage accepts, in characters.</summary>
    public const int MaxLength = 1024;

    /// <summary>The most <c>/</c>-separated segments Azure Storage accepts in a blob name.</summary>
    public const int MaxSegments = 254;

    /// <summary>What is wrong with <paramref name="name"/> as a blob name from outside, or null when nothing is.</summary>
    public static string? Problem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "it is empty";
        }

        if (name.Length > MaxLength)
        {
            return $"it is {name.Length:N0} characters long; at most {MaxLength:N0} are allowed";
        }

        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsControl(c))
            {
                return $"it contains the control character U+{(int)c:X4}; only printable characters are allowed";
            }

            if (c == '\\')
            {
                return "it contains a backslash; separate folders with '/'";
            }

            if (char.IsSurrogate(c) && !(char.IsHighSurrogate(c) && i + 1 < name.Length && char.IsLowSurrogate(name[++i])))
            {
                return "it contains a broken UTF-16 surrogate";
            }
        }

        var segments = name.Split('/');
        if (segments.Length > MaxSegments)
        {
            return $"it has {segments.Length:N0} path segments; at most {MaxSegments} are allowed";
        }

        foreach (var segment in segments)
        {
            if (segment is "" or "." or "..")
            {
                return segment.Length == 0
                    ? "it has an empty path segment (a leading, trailing or doubled '/')"
                    : $"it has a '{segment}' path segment; names are plain paths inside the container";
            }
        }

        return null;
    }

    /// <summary>
    /// The blob a <c>start-frames/&lt;name&gt;</c> address names, checked as <see cref="Problem"/> does and then as the
    /// SDK will address it (the container and name it parses back from the URL it built must be the ones given).
    /// </summary>
    public static bool TryGetUpload(BlobServiceClient service, string? address, [NotNullWhen(true)] out BlobClient? blob, [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(service);
        blob = null;
        var prefix = StartFrameOptions.UploadsContainer + "/";
        if (address is null || !address.StartsWith(prefix, StringComparison.Ordinal))
        {
            problem = $"it must name a blob of the uploads container, like \"{prefix}cats/cat.png\"";
            return false;
        }

        return TryGetBlob(service.GetBlobContainerClient(StartFrameOptions.UploadsContainer), address[prefix.Length..], out blob, out problem);
    }

    /// <summary>The blob <paramref name="name"/> of <paramref name="container"/>, when the name passes <see cref="Problem"/> and the SDK addresses exactly it.</summary>
    public static bool TryGetBlob(BlobContainerClient container, string name, [NotNullWhen(true)] out BlobClient? blob, [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(container);
        blob = null;
        problem = Problem(name);
        if (problem is not null)
        {
            return false;
        }

        var candidate = container.GetBlobClient(name);
        if (candidate.BlobContainerName != container.Name || candidate.Name != name)
        {
            problem = $"it would address '{candidate.BlobContainerName}/{candidate.Name}' instead";
            return false;
        }

        blob = candidate;
        return true;
    }
}
