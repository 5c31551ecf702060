using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using StartFrame.Core.WaysIn;

namespace StartFrame.Functions;

/// <summary><c>POST /api/videos</c>: a manual submission, handled entirely by the core's <see cref="IVideoApi"/>.</summary>
public sealed class SubmitVideo(IVideoApi api)
{
    /// <summary>Returns what the core answers (202, 400, 422, 502 or 503).</summary>
    [Function(nameof(SubmitVideo))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "videos")] HttpRequest request,
        FunctionContext context)
    {
        return api.SubmitAsync(request, context.CancellationToken);
    }
}
