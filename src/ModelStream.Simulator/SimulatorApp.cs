using System.Globalization;

namespace ModelStream.Simulator;

/// <summary>Builds the simulator's web app, the same way for the command line and for tests.</summary>
internal static class SimulatorApp
{
    /// <summary>The setting (env <c>Simulator__ApiKey</c>) holding the only key to accept; unset accepts any <c>sk-</c> key.</summary>
    public const string ApiKeySetting = "Simulator:ApiKey";

    /// <summary>How long a generation takes on the command line when <c>--generation-time</c> is not given.</summary>
    public static readonly TimeSpan DefaultGenerationTime = TimeSpan.FromSeconds(30);

    /// <summary>The command-line server: addresses from <c>--urls</c>, key from configuration, and
    /// <c>--generation-time</c>, <c>--result-url-lifetime</c>, <c>--video-size</c>, <c>--poll-shape</c>,
    /// <c>--max-concurrent-tasks</c>, <c>--rate-limit</c>, <c>--fetch-images</c>, <c>--render</c> (auto by default).</summary>
    /// <exception cref="ArgumentException">An option has a value it cannot take; the message names it and what it accepts.</exception>
    public static WebApplication CreateForCommandLine(string[] args)
    {
        var builder = CreateBuilder(args);
        // Warnings only, except the lifetime lines that say where it listens.
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        var configuration = builder.Configuration;
        var options = new SimulatorOptions
        {
            RequiredApiKey = configuration[ApiKeySetting],
            GenerationTime = Duration(configuration["generation-time"], "--generation-time") ?? DefaultGenerationTime,
            ResultUrlLifetime = Duration(configuration["result-url-lifetime"], "--result-url-lifetime") ?? TimeSpan.FromHours(24),
            VideoLength = Bytes(configuration["video-size"]),
            PollShape = Shape(configuration["poll-shape"]),
            MaxConcurrentTasks = AtLeastOne(configuration["max-concurrent-tasks"], "--max-concurrent-tasks", "unfinished tasks"),
            RateLimit = AtLeastOne(configuration["rate-limit"], "--rate-limit", "submits per second"),
            FetchImages = OnOff(configuration["fetch-images"], "--fetch-images") ?? true,
            Render = RenderMode(configuration["render"]),
        };
        return Build(builder, new SimulatorState(options));
    }

    /// <summary>The in-process server: a free loopback port, and the options given (configuration is not consulted).</summary>
    public static WebApplication CreateInProcess(SimulatorState state)
    {
        var builder = CreateBuilder([]);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        return Build(builder, state);
    }

    private static TimeSpan? Duration(string? text, string option)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return DurationText.TryParse(text, out var value)
            ? value
            : throw new ArgumentException($"{option} must be {DurationText.Accepted}; got '{text}'.");
    }

    private static long? Bytes(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentException($"--video-size must be a whole number of bytes (e.g. 200000000); got '{text}'.");
    }

    private static int? AtLeastOne(string? text, string option, string what)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1
            ? value
            : throw new ArgumentException($"{option} must be a whole number of {what}, 1 or more; got '{text}'.");
    }

    private static bool? OnOff(string? text, string option) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" => null,
        "on" or "true" => true,
        "off" or "false" => false,
        _ => throw new ArgumentException($"{option} must be on or off; got '{text}'."),
    };

    /// <summary>The command line renders where it can (auto): a person running it wants to see their frame move.</summary>
    private static SimulatedRender RenderMode(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "auto" => SimulatedRender.Auto,
        "on" => SimulatedRender.On,
        "off" => SimulatedRender.Off,
        _ => throw new ArgumentException($"--render must be auto, on or off; got '{text}'."),
    };

    private static SimulatedPollShape Shape(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "openai" => SimulatedPollShape.OpenAi,
        "wrapper" => SimulatedPollShape.Wrapper,
        "flat" => SimulatedPollShape.Flat,
        _ => throw new ArgumentException($"--poll-shape must be openai, wrapper or flat; got '{text}'."),
    };

    private static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(SimulatorApp).Assembly.GetName().Name,
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        return builder;
    }

    private static WebApplication Build(WebApplicationBuilder builder, SimulatorState state)
    {
        var app = builder.Build();
        app.MapModelStreamSimulator(state);
        if (state.Renderer.Unavailable is { } line)
        {
            app.Logger.LogWarning("{Line}", line);
        }

        app.Lifetime.ApplicationStopped.Register(state.Dispose);
        return app;
    }
}
