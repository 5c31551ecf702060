using ModelStream.Client;
using StartFrame.Core.Records;

namespace StartFrame.Core.Uploads;

/// <summary>The verdict on an upload (sidecar + image head): every error, or how to build the request.</summary>
public sealed record UploadCheck(string Model, IReadOnlyList<RecordError> Errors, Func<string, VideoGenerationRequest>? BuildRequest)
{
    /// <summary>True when nothing was found wrong.</summary>
    public bool IsValid => Errors.Count == 0 && BuildRequest is not null;
}
