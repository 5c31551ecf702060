using Microsoft.AspNetCore.Http;

namespace StartFrame.Core.WaysIn;

/// <summary>The HTTP-facing service behind <c>POST /api/videos</c> and <c>GET /api/videos/{taskId}</c>.</summary>
public interface IVideoApi
{
    /// <summary>Handles a manual submission: 202 + task record, 400 problem details, 422, 502 or 503.</summary>
    Task<IResult> SubmitAsync(HttpRequest request, CancellationToken cancellationToken);

    /// <summary>What the ledger knows of a task (the stored video, or why there is none) and where ModelStream says it
    /// stands now; 404 when unknown.</summary>
    Task<IResult> GetAsync(string taskId, CancellationToken cancellationToken);
}
