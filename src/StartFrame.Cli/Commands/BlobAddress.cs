using System.Diagnostics.CodeAnalysis;
using Azure.Storage.Blobs;
using StartFrame.Core;
using StartFrame.Core.Storage;

namespace StartFrame.Cli.Commands;

/// <summary>A <c>start-frames/&lt;blob&gt;</c> argument, as <c>process</c> and <c>redrive</c> take it: only plain names of the uploads
/// container; <c>process</c> also takes a folder, <c>start-frames/&lt;folder&gt;/</c>.</summary>
internal static class BlobAddress
{
    /// <summary>What is wrong with <paramref name="address"/> (one line, exit 2), or null.</summary>
    public static string? Problem(string address)
    {
        var prefix = StartFrameOptions.UploadsContainer + "/";
        var problem = !address.StartsWith(prefix, StringComparison.Ordinal)
            ? $"it must name a blob of the uploads container, like {prefix}cats/cat.png"
            : BlobNames.Problem(address[prefix.Length..]);
        return problem is null ? null : $"'{Shown(address)}' is not {prefix}<blob>: {problem}.";
    }

    /// <summary>True for a folder of the uploads container, written with its trailing slash: <c>start-frames/batch1/</c>.</summary>
    public static bool IsFolder(string address) => address.EndsWith('/');

    /// <summary>What is wrong with a folder address (one line, exit 2), or null; <paramref name="prefix"/> is the blob name
    /// prefix it stands for (<c>batch1/</c>; empty for <c>start-frames/</c>, the whole container).</summary>
    public static string? FolderProblem(string address, out string prefix)
    {
        var container = StartFrameOptions.UploadsContainer + "/";
        prefix = address.StartsWith(container, StringComparison.Ordinal) ? address[container.Length..] : "";
        var problem = !address.StartsWith(container, StringComparison.Ordinal)
            ? $"it must name a folder of the uploads container, like {container}batch1/"
            : prefix.Length == 0 ? null : BlobNames.Problem(prefix[..^1]); // the folder's own name, without its trailing slash
        return problem is null ? null : $"'{Shown(address)}' is not {container}<folder>/: {problem}.";
    }

    /// <summary>The blob of an address <see cref="Problem"/> accepted, as the SDK will address it.</summary>
    public static bool TryResolve(BlobServiceClient service, string address, [NotNullWhen(true)] out BlobClient? blob, [NotNullWhen(false)] out string? error)
    {
        if (BlobNames.TryGetUpload(service, address, out blob, out var problem))
        {
            error = null;
            return true;
        }

        error = $"'{Shown(address)}' is not {StartFrameOptions.UploadsContainer}/<blob>: {problem}.";
        return false;
    }

    // The address as typed, short enough for one line and without control characters.
    private static string Shown(string address) =>
        Core.Records.RecordLimits.Cut(new string([.. address.Select(c => char.IsControl(c) ? '?' : c)]), 120);
}
