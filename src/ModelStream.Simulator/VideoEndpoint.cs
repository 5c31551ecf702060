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

        if (fault?.RedirectTo is { } location)
        {
            // A CDN hop: the location as written (relative, file://, another host), {video} being this very URL.
            http.Response.StatusCode = StatusCodes.Status302Found;
            http.Response.Headers.Location = location.Replace("{video}", $"{http.Request.Scheme}://{http.Request.Host}{http.Request.Path}{http.Request.QueryString}", StringComparison.Ordinal);
            return Results.Empty;
        }

        if (fault?.Serve is { } content)
        {
            return Impostor(content);
        }

        var rendered = fault?.Length is null ? state.RenderedVideoOf(task) : null;
        var length = fault?.Length is { } padded ? SampleVideo.LengthFor(padded) : rendered?.Length ?? SampleVideo.LengthFor(state.Options.VideoLength);
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "video/mp4";
        http.Response.ContentLength = fault?.HideLength == true ? null : length;
        if (fault?.StallAfterBytes is { } stall && stall < length)
        {
            // A body that stops mid-way with the connection still open: only the reader's own timeouts end it.
            await WriteAsync(http, rendered, length, stall).ConfigureAwait(false);
            await http.Response.Body.FlushAsync(http.RequestAborted).ConfigureAwait(false);
            try
            {
                await Task.Delay(Timeout.Infinite, http.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The reader gave up, as it must.
            }

            return Results.Empty;
        }

        if (fault?.CutAfterBytes is { } cut && cut < length)
        {
            // A connection that dies mid-body: the client sees fewer bytes than Content-Length promised.
            await WriteAsync(http, rendered, length, cut).ConfigureAwait(false);
            await http.Response.Body.FlushAsync(http.RequestAborted).ConfigureAwait(false);
            http.Abort();
            return Results.Empty;
        }

        await WriteAsync(http, rendered, length, length).ConfigureAwait(false);
        state.CountVideoServed();
        return Results.Empty;
    }

    private static async Task WriteAsync(HttpContext http, RenderedVideo? rendered, long length, long limit)
    {
        if (rendered?.Path is not { } path)
        {
            await SampleVideo.WriteAsync(http.Response.Body, length, limit, http.RequestAborted).ConfigureAwait(false);
            return;
        }

        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
        var buffer = new byte[64 * 1024];
        var sent = 0L;
        int read;
        while (sent < limit && (read = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, limit - sent)), http.RequestAborted).ConfigureAwait(false)) > 0)
        {
            await http.Response.Body.WriteAsync(buffer.AsMemory(0, read), http.RequestAborted).ConfigureAwait(false);
            sent += read;
        }
    }

    private static IResult Impostor(SimulatedVideoContent content) => content switch
    {
        SimulatedVideoContent.Html => Results.Text("<!DOCTYPE html><html><body><h1>Sign in to continue</h1></body></html>", "text/html", System.Text.Encoding.UTF8, StatusCodes.Status200OK),
        SimulatedVideoContent.Json => Results.Text("{\"error\":{\"code\":\"video_unavailable\",\"message\":\"The video is being processed.\"}}", "application/json", System.Text.Encoding.UTF8, StatusCodes.Status200OK),
        SimulatedVideoContent.Empty => Results.Bytes(Array.Empty<byte>(), "video/mp4"),
        _ => Results.Bytes(System.Text.Encoding.ASCII.GetBytes(new string('x', 4096)), "video/mp4"),
    };

    private static IResult Refusal(int status, string code, string message) =>
        Results.Text($"<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>{code}</Code><Message>{message}</Message></Error>", "application/xml", System.Text.Encoding.UTF8, status);
}
