namespace StartFrame.Functions.Tests;

/// <summary>
/// Tests that build a tracer provider. An <see cref="System.Diagnostics.ActivitySource"/>'s listeners are process-wide
/// and a span is sampled when any of them says so, so two providers alive at once would decide each other's spans: these
/// tests run one at a time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "Tracer providers";
}
