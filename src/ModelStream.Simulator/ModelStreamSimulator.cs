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
        var app = SimulatorApp.CreateInProcess(state);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new ModelStreamSimulator(app, state, new Uri(address.TrimEnd('/') + "/"));
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
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
