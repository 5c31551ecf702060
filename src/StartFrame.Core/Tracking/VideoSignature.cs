using System.Buffers.Binary;
using System.Net.Http.Headers;

namespace StartFrame.Core.Tracking;

/// <summary>
/// Whether what a result URL answered is a video, from what it says of itself and its first bytes: an MP4 (ISO BMFF)
/// starts with an <c>ftyp</c> box of a sane size, and is more than that box. An HTML page, a JSON error or an empty
/// body answered 200 is none, and must never be stored as the video a task paid for.
/// </summary>
public static class VideoSignature
{
    /// <summary>The largest <c>ftyp</c> box believed (its header, brand, version and a few dozen compatible brands).</summary>
    public const int MaxFtypBytes = 4096;

    private const int MinFtypBytes = 16;

    /// <summary>Why a body of <paramref name="contentType"/> is no video, or null when the type does not rule it out.</summary>
    public static string? ContentTypeProblem(MediaTypeHeaderValue? contentType)
    {
        var type = contentType?.MediaType?.ToLowerInvariant();
        return type is not null && (type.StartsWith("text/", StringComparison.Ordinal)
            || type is "application/json" or "application/xml" or "application/xhtml+xml" or "application/javascript"
            || type.EndsWith("+json", StringComparison.Ordinal) || type.EndsWith("+xml", StringComparison.Ordinal))
            ? $"it answered {type}, not a video"
            : null;
    }

    /// <summary>Why <paramref name="head"/> (the first bytes; all of them when <paramref name="whole"/>) is no MP4, or null.</summary>
    public static string? Problem(ReadOnlySpan<byte> head, bool whole)
    {
        if (head.IsEmpty)
        {
            return "its body is empty";
        }

        if (head.Length < MinFtypBytes)
        {
            return $"its body is {head.Length} bytes, too short for a video";
        }

        if (!head.Slice(4, 4).SequenceEqual("ftyp"u8))
        {
            return "it does not start with an ISO BMFF 'ftyp' box, so it is not an MP4 video";
        }

        var size = BinaryPrimitives.ReadUInt32BigEndian(head);
        if (size is < MinFtypBytes or > MaxFtypBytes || size % 4 != 0)
        {
            return $"its 'ftyp' box claims {size} bytes, which no MP4 has";
        }

        foreach (var c in head.Slice(8, 4))
        {
            if (c is < 0x20 or > 0x7E)
            {
                return "its 'ftyp' box has no readable brand";
            }
        }

        return whole && head.Length <= size ? "it is nothing but an 'ftyp' box" : null;
    }
}
