namespace StartFrame.Core.Records;

/// <summary>Where a submission's image came from: a blob of ours (container, name, ETag…) or a URL given by the caller.</summary>
public sealed record RecordSource
{
    /// <summary>Container of the image blob.</summary>
    public string? Container { get; init; }

    /// <summary>Name of the image blob within its container.</summary>
    public string? Blob { get; init; }

    /// <summary>ETag of the image blob that was submitted; a re-upload has a new one.</summary>
    public string? Etag { get; init; }

    /// <summary>Content type the blob was stored with.</summary>
    public string? ContentType { get; init; }

    /// <summary>Length of the image in bytes.</summary>
    public long? Length { get; init; }

    /// <summary>The image URL as given by the caller (HTTP/queue origins), never with a query string.</summary>
    public string? Url { get; init; }
}
