namespace StartFrame.LocalDev.Dev;

/// <summary>What <c>startframe dev</c> was asked for.</summary>
/// <param name="WellKnownPorts">Azurite on 10000-10002, the simulator on 5080, the API on 7071 (the ports
/// <c>UseDevelopmentStorage=true</c> and <c>local.settings.sample.json</c> assume); false for free ports.</param>
/// <param name="Mode">The mode; null picks <see cref="DevMode.Func"/> when <c>func</c> is on PATH, else <see cref="DevMode.InProcess"/>.</param>
/// <param name="Logs">The in-process host's logs on stderr (<c>--verbose</c>); without them the activity lines say what happened.</param>
/// <param name="Trace">Each video's trace as a timeline when it ends (<c>--trace</c>); in-process only, where the core's spans are
/// in this process (under <c>func</c>, point <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> at a collector instead).</param>
/// <param name="Layout">The clone whose files the session runs (Azurite's npm lock, the simulator, the function app); null finds it
/// from the current directory.</param>
public sealed record DevOptions(bool WellKnownPorts, DevMode? Mode, bool Logs = false, RepoLayout? Layout = null, bool Trace = false);
