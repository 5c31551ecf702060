using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace StartFrame.Core.Redaction;

/// <summary>Puts the <see cref="Redactor"/> in front of every log line the process writes.</summary>
public static class RedactedLoggingServiceCollectionExtensions
{
    /// <summary>
    /// Replaces the registered <see cref="ILoggerFactory"/> with a <see cref="RedactingLoggerFactory"/> around it, so
    /// every <see cref="ILogger{T}"/> and every logger a function context hands out redacts before any provider sees
    /// the entry. Registering it twice wraps once.
    /// </summary>
    public static IServiceCollection AddRedactedLogging(this IServiceCollection services)
    {
        services.AddLogging();
        var registered = services.Last(d => d.ServiceType == typeof(ILoggerFactory) && !d.IsKeyedService);
        if (registered.ImplementationFactory?.Target is RedactedLoggingMarker)
        {
            return services;
        }

        services.Remove(registered);
        var marker = new RedactedLoggingMarker(registered);
        services.AddSingleton<ILoggerFactory>(marker.Create);
        return services;
    }

    // Holds the registration it replaced; being the factory's target also marks the registration as already redacting.
    private sealed class RedactedLoggingMarker(ServiceDescriptor inner)
    {
        public RedactingLoggerFactory Create(IServiceProvider services)
        {
            var factory = inner.ImplementationInstance as ILoggerFactory
                ?? inner.ImplementationFactory?.Invoke(services) as ILoggerFactory
                ?? (ILoggerFactory)ActivatorUtilities.CreateInstance(services, inner.ImplementationType!);
            return new RedactingLoggerFactory(factory, services.GetRequiredService<Redactor>());
        }
    }
}
