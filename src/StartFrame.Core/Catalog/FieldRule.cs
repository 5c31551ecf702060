namespace StartFrame.Core.Catalog;

/// <summary>
/// A rule across fields: when <see cref="If"/> holds for the values that would be sent (defaults included),
/// <see cref="Then"/> must hold too; otherwise the sidecar is rejected with <see cref="Message"/>.
/// </summary>
public sealed record FieldRule
{
    /// <summary>The condition that triggers the rule.</summary>
    public required FieldCondition If { get; init; }

    /// <summary>The condition that must then hold.</summary>
    public required FieldCondition Then { get; init; }

    /// <summary>What the user is told when the rule is broken; say how to fix it.</summary>
    public required string Message { get; init; }
}
