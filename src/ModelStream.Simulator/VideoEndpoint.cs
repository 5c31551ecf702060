namespace ModelStream.Simulator;

/// <summary>
/// <c>GET /_simulator/videos/{taskId}.mp4?se=…&amp;sig=…</c>: the result video of a finished task, as a signed URL of a
/// storage service serves it — 403 when the signature is wrong or the URL has expired, 404 for a task with no video.
/// </summary>
internal static class VideoEndpoint
{
    private const string Suffix = ".mp4";

    public static async Task<IResult> ServeAsync(HttpContext http, SimulatorState state, string file)
    {
        var taskId = file.EndsWith(Suffix, StringComparison.Ordinal) ? file[..^Suffix.Length] : file;
        var expiry = http.Request.Query["se"].ToString();
        if (!state.Signer.IsGenuine(taskId, expiry, http.Request.Query["sig"].ToString()))
        {
            return Refusal(StatusCodes.Status403Forbidden, "AuthenticationFailed", "The signature of this URL is not valid.");
        }

        if (!long.TryParse(expiry, out var seconds) || DateTimeOffset.FromUnixTimeSeconds(seconds) <= state.Clock.GetUtcNow())
        {
            return Refusal(StatusCodes.Status403Forbidden, "AuthenticationFailed", "This URL has expired: result URLs are valid for a limited time after the task finished.");
        }

        if (state.FindTask(taskId) is not { } task || state.ViewOf(task).Status != TaskView.Succeeded)
        {
            return Refusal(StatusCodes.Status404NotFound, "BlobNotFound", "No video exists for this task.");
        }

        var fault = state.TakeFault(SimulatedFaultTarget.Video);
        if (fault is not null && await SimulatorEndpoints.ApplyFaultAsync(http, fault).ConfigureAwait(false) is { } faultAnswer)
        {
            return faultAnswer;
        }

        var length = SampleVideo.LengthFor(state.Options.VideoLength);
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "video/mp4";
        http.Response.ContentLength = length;
        if (fault?.CutAfterBytes is { } cut && cut < length)
        {
            // A connection that dies mid-body: the client sees fewer bytes than Content-Length promised.
            await SampleVideo.WriteAsync(http.Response.Body, length, cut, http.RequestAborted).ConfigureAwait(false);
            await http.Response.Body.FlushAsync(http.RequestAborted).ConfigureAwait(false);
            http.Abort();
            return Results.Empty;
        }

        await SampleVideo.WriteAsync(http.Response.Body, length, length, http.RequestAborted).ConfigureAwait(false);
        state.CountVideoServed();
        return Results.Empty;
    }

    private static IResult Refusal(int status, string code, string message) =>
        Results.Text($"<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>{code}</Code><Message>{message}</Message></Error>", "application/xml", System.Text.Encoding.UTF8, status);
}
