namespace StartFrame.Core.Catalog;

/// <summary>One ModelStream model as the catalog describes it: its start-frame requirement, fields and rules.</summary>
public sealed record ModelSpec
{
    private readonly IReadOnlyList<ParameterSpec> _parameters = [];
    private readonly IReadOnlyList<FieldRule> _rules = [];

    /// <summary>The model id sent as <c>model</c>, e.g. <c>viduq2-pro-fast</c>.</summary>
    public required string Id { get; init; }

    /// <summary>A line for people reading <c>startframe models</c>.</summary>
    public string? Description { get; init; }

    /// <summary>What the uploaded start frame must be.</summary>
    public required ImageRequirement Image { get; init; }

    /// <summary>The fields a sidecar may set, in the order they are reported and sent.</summary>
    public IReadOnlyList<ParameterSpec> Parameters
    {
        get => _parameters;
        init => _parameters = value ?? []; // generated JSON code assigns null when the file omits the list
    }

    /// <summary>Rules across fields, checked on the values that would be sent.</summary>
    public IReadOnlyList<FieldRule> Rules
    {
        get => _rules;
        init => _rules = value ?? [];
    }

    /// <summary>The parameter named <paramref name="name"/> (ordinal), or <see langword="null"/>.</summary>
    public ParameterSpec? FindParameter(string name)
    {
        foreach (var parameter in Parameters)
        {
            if (string.Equals(parameter.Name, name, StringComparison.Ordinal))
            {
                return parameter;
            }
        }
        return null;
    }
}
