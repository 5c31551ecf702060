using ModelStream.Client;
using StartFrame.Core.Records;
using StartFrame.Core.Uploads;

namespace StartFrame.Core.Submitting;

/// <summary>A validated submission, ready to send once its claim is held: how to build the request for an
/// image URL, where the image is, and what the records will say about it.</summary>
public sealed record SubmissionPlan
{
    /// <summary>The model to submit to.</summary>
    public required string Model { get; init; }

    /// <summary>Builds the exact request body for the given image URL (a SAS URL for our blobs).</summary>
    public required Func<string, VideoGenerationRequest> BuildRequest { get; init; }

    /// <summary>The image, when it is a blob of ours (a read-only SAS URL is issued for it); else <see cref="ImageUrl"/>.</summary>
    public Azure.Storage.Blobs.BlobClient? ImageBlob { get; init; }

    /// <summary>What the validating read saw of <see cref="ImageBlob"/> (ETag, version): the SAS serves exactly those bytes.</summary>
    public UploadedImage? UploadedImage { get; init; }

    /// <summary>The image URL given by the caller, when the image is not a blob of ours.</summary>
    public Uri? ImageUrl { get; init; }

    /// <summary>What the records say of the image.</summary>
    public required RecordSource Source { get; init; }

    /// <summary>The sidecar the parameters came from, when there was one.</summary>
    public string? Sidecar { get; init; }

    /// <summary><c>blob</c>, <c>http</c> or <c>queue</c>.</summary>
    public required string Origin { get; init; }

    /// <summary>The run's correlation id.</summary>
    public required string CorrelationId { get; init; }

    /// <summary>Deliveries ending in a transient failure before a failure record; null = <c>StartFrame:MaxSubmitAttempts</c>.</summary>
    public int? MaxAttempts { get; init; }
}
