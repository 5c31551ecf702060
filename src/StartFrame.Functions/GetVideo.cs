using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using StartFrame.Core.WaysIn;

namespace StartFrame.Functions;

/// <summary><c>GET /api/videos/{taskId}</c>: what the ledger knows of a task.</summary>
public sealed class GetVideo(IVideoApi api)
{
    /// <summary>Returns the core's answer (200 or 404).</summary>
    [Function(nameof(GetVideo))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "videos/{taskId}")] HttpRequest request,
        string taskId,
        FunctionContext context)
    {
        return api.GetAsync(taskId, context.CancellationToken);
    }
}
