using Microsoft.Extensions.Options;

namespace ModelStream.Client;

/// <summary>Typed client of the ModelStream video API. (Stub: the real implementation replaces this.)</summary>
public sealed class ModelStreamClient(HttpClient httpClient, IOptions<ModelStreamClientOptions> options)
{
    /// <summary>Submits a generation; throws <see cref="ModelStreamException"/> on any failure.</summary>
    public Task<VideoGenerationResult> SubmitAsync(VideoGenerationRequest request, string? correlationId = null, CancellationToken cancellationToken = default)
    {
        _ = httpClient; _ = options;
        throw new NotImplementedException();
    }
}
