namespace StartFrame.Core.Validation;

/// <summary>How a <see cref="SidecarValidator"/> resolves the model and which extra fields it tolerates.</summary>
public sealed record SidecarValidationOptions
{
    /// <summary>The model used when neither <see cref="ModelOverride"/> nor the sidecar names one; null or blank for
    /// the catalog's <c>defaultModel</c>.</summary>
    public string? DefaultModel { get; init; }

    /// <summary>Reject models that are not in the catalog (<c>unknown_model</c>) instead of passing them through.</summary>
    public bool StrictModels { get; init; }

    /// <summary>A model that wins over the sidecar's <c>model</c> (the CLI's <c>--model</c>); <see langword="null"/> for none.</summary>
    public string? ModelOverride { get; init; }

    /// <summary>
    /// Top-level field names the caller handles itself (e.g. <c>blob</c>, <c>imageUrl</c>, <c>correlationId</c>,
    /// <c>idempotencyKey</c> on the HTTP endpoint): accepted, neither validated nor sent. Compared ordinally.
    /// </summary>
    public IReadOnlyCollection<string> AdditionalAllowedFields { get; init; } = [];

    /// <summary>Options that follow the pipeline's settings (default model, strictness).</summary>
    public static SidecarValidationOptions From(StartFrameOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new SidecarValidationOptions { DefaultModel = options.DefaultModel, StrictModels = options.StrictModels };
    }
}
