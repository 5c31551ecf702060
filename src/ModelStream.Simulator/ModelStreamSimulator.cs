using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace ModelStream.Simulator;

/// <summary>
/// The simulator on a real Kestrel server inside the calling process, on a free loopback port: point a client at
/// <see cref="BaseAddress"/>, queue faults, and read back exactly what it received.
/// </summary>
public sealed class ModelStreamSimulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SimulatorState _state;

    private ModelStreamSimulator(WebApplication app, SimulatorState state, Uri baseAddress)
    {
        _app = app;
        _state = state;
        BaseAddress = baseAddress;
    }

    /// <summary>The server's root, e.g. <c>http://127.0.0.1:54321/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Every submit received so far, in order, whatever it was answered (a snapshot).</summary>
    public IReadOnlyList<ReceivedRequest> Requests => _state.Requests;

    /// <summary>How many submits (<c>POST /v1/video/generations</c>) were received.</summary>
    public int PostCount => _state.PostCount;

    /// <summary>How many submits were answered with each status (e.g. <c>{200: 3, 429: 2}</c>); a dropped connection counts in none.</summary>
    public IReadOnlyDictionary<int, int> SubmitStatuses => _state.SubmitStatuses;

    /// <summary>How many polls (<c>GET /v1/video/generations/{taskId}</c>) were answered, faults included.</summary>
    public int PollCount => _state.PollCount;

    /// <summary>How many result videos were sent in full.</summary>
    public int VideosServed => _state.VideosServed;

    /// <summary>True when tasks get a video rendered from their start frame (<see cref="SimulatorOptions.Render"/> on, or auto
    /// with ffmpeg found); false when every task serves the sample.</summary>
    public bool RendersVideos => _state.Renderer.Renders;

    /// <summary>
    /// Completes when the task's video is ready to be served: at once for a task that serves the sample, else when its
    /// render has ended (a task reports succeeded only after that, whatever the clock says).
    /// </summary>
    /// <param name="taskId">The task.</param>
    /// <returns>How long the render took, or null when the task serves the sample.</returns>
    public async Task<TimeSpan?> WhenVideoReadyAsync(string taskId)
    {
        if (_state.Renderer.RenderOf(taskId) is not { } render)
        {
            return null;
        }

        var video = await render.ConfigureAwait(false);
        return video.Path is null ? null : video.Took;
    }

    /// <summary>The bytes of the result video when <see cref="SimulatorOptions.VideoLength"/> is not set: what a copy must equal.</summary>
    public static ReadOnlyMemory<byte> SampleVideoBytes => SampleVideo.Bytes;

    /// <summary>Starts a simulator on <c>http://127.0.0.1:0</c>.</summary>
    /// <param name="requiredApiKey">The only key to accept; null accepts any key starting with <c>sk-</c>.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running simulator; dispose it to stop it.</returns>
    public static Task<ModelStreamSimulator> StartAsync(string? requiredApiKey = null, CancellationToken cancellationToken = default) =>
        StartAsync(new SimulatorOptions { RequiredApiKey = requiredApiKey }, cancellationToken);

    /// <summary>Starts a simulator on <c>http://127.0.0.1:0</c> with the given generation time, clock and video.</summary>
    /// <param name="options">How it behaves.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running simulator; dispose it to stop it.</returns>
    public static async Task<ModelStreamSimulator> StartAsync(SimulatorOptions options, CancellationToken cancellationToken = default)
    {
        var state = new SimulatorState(options);
        WebApplication app;
        try
        {
            app = SimulatorApp.CreateInProcess(state);
        }
        catch
        {
            state.Dispose();
            throw;
        }

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new ModelStreamSimulator(app, state, new Uri(address.TrimEnd('/') + "/"));
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            state.Dispose();
            throw;
        }
    }

    /// <summary>Queues faults after any already queued; each answers its <see cref="SimulatedFault.Times"/> requests of its kind, in order.</summary>
    /// <param name="faults">The faults.</param>
    public void AddFaults(params SimulatedFault[] faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        _state.AddFaults(faults);
    }

    /// <summary>Drops every queued fault, including one that applies until cleared.</summary>
    public void ClearFaults() => _state.ClearFaults();

    /// <summary>Empties the request log.</summary>
    public void ClearRequests() => _state.ClearRequests();

    /// <summary>Stops the server.</summary>
    /// <returns>A task that completes when the server has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stopping.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
