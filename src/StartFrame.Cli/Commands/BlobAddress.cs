using System.Diagnostics.CodeAnalysis;
using Azure.Storage.Blobs;
using StartFrame.Core;
using StartFrame.Core.Storage;

namespace StartFrame.Cli.Commands;

/// <summary>A <c>start-frames/&lt;blob&gt;</c> argument, as <c>process</c> and <c>redrive</c> take it: only plain names of the uploads container.</summary>
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
