using System.Text.Json;

namespace StartFrame.Core.Catalog;

/// <summary>One field a sidecar may set for a model, as the catalog describes it.</summary>
public sealed record ParameterSpec
{
    /// <summary>The field's name, in the sidecar and on the wire.</summary>
    public required string Name { get; init; }

    /// <summary>The JSON type the value must have.</summary>
    public required ParameterType Type { get; init; }

    /// <summary>The only values accepted (compared as JSON values, case-sensitively); <see langword="null"/> when any value of the type is.</summary>
    public IReadOnlyList<JsonElement>? Allowed { get; init; }

    /// <summary>Smallest accepted value (inclusive), for numbers.</summary>
    public decimal? Min { get; init; }

    /// <summary>Largest accepted value (inclusive), for numbers.</summary>
    public decimal? Max { get; init; }

    /// <summary>Accepted values are <see cref="Min"/> (or 0) plus a whole multiple of this, for numbers.</summary>
    public decimal? Step { get; init; }

    /// <summary>The value sent when the sidecar omits the field; <see langword="null"/> sends nothing.</summary>
    public JsonElement? Default { get; init; }

    /// <summary>Whether the sidecar must set the field (only meaningful without a <see cref="Default"/>).</summary>
    public bool Required { get; init; }

    /// <summary>Where the field travels in the request body.</summary>
    public WireLocation Location { get; init; }

    /// <summary>For a boolean: true asks for off-peak generation (the result within hours, not minutes), so a task that
    /// sets it is polled on the off-peak schedule (<c>StartFrame__OffPeakPollMaxDelay</c>).</summary>
    public bool OffPeak { get; init; }

    /// <summary>What the field does, for people reading <c>startframe models</c>.</summary>
    public string? Description { get; init; }
}
