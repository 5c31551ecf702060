using System.ComponentModel.DataAnnotations;

namespace ModelStream.Client;

/// <summary>Options of <see cref="ModelStreamClient"/>, bound from the <c>ModelStream</c> configuration section.</summary>
public sealed class ModelStreamClientOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "ModelStream";

    /// <summary>Service root; the client appends <c>/v1/video/generations</c>.</summary>
    [Required]
    public Uri BaseUrl { get; set; } = new("https://api.modelstream.ai");

    /// <summary>The Bearer key (<c>sk-…</c>). In Azure it comes from Key Vault through an app-setting reference.</summary>
    [Required]
    public string ApiKey { get; set; } = "";
}
