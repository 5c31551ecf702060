namespace ModelStream.Simulator;

/// <summary>Builds the simulator's web app, the same way for the command line and for tests.</summary>
internal static class SimulatorApp
{
    /// <summary>The setting (env <c>Simulator__ApiKey</c>) holding the only key to accept; unset accepts any <c>sk-</c> key.</summary>
    public const string ApiKeySetting = "Simulator:ApiKey";

    /// <summary>The command-line server: addresses from <c>--urls</c>, key from configuration.</summary>
    public static WebApplication CreateForCommandLine(string[] args)
    {
        var builder = CreateBuilder(args);
        // Warnings only, except the lifetime lines that say where it listens.
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        return Build(builder, new SimulatorState(builder.Configuration[ApiKeySetting]));
    }

    /// <summary>The in-process server: a free loopback port, and the key given (configuration is not consulted for it).</summary>
    public static WebApplication CreateInProcess(SimulatorState state)
    {
        var builder = CreateBuilder([]);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        return Build(builder, state);
    }

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
        return app;
    }
}
