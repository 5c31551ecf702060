using Microsoft.AspNetCore.Http;

namespace StartFrame.Core.Http;

/// <summary>The HTTP-facing service behind <c>POST /api/videos</c> and <c>GET /api/videos/{taskId}</c>,
/// host-free so it is tested without the Functions host; the function only binds and calls it.</summary>
public sealed class VideoApi : IVideoApi
{
    /// <summary>Handles a manual submission. 202 + task record, 400 problem details, 422, 502 or 503.</summary>
    public Task<IResult> SubmitAsync(HttpRequest request, CancellationToken cancellationToken)
        => throw new NotImplementedException();

    /// <summary>What the ledger knows of a task; 404 when unknown.</summary>
    public Task<IResult> GetAsync(string taskId, CancellationToken cancellationToken)
        => throw new NotImplementedException();
}
