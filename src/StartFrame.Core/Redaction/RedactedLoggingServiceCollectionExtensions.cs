using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

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
            var redactor = services.GetRequiredService<Redactor>();
            if (inner.ImplementationInstance is ILoggerFactory instance)
            {
                return new RedactingLoggerFactory(instance, redactor, ownsInner: false);
            }

            var factory = inner.ImplementationFactory?.Invoke(services) as ILoggerFactory
                ?? (inner.ImplementationType == typeof(LoggerFactory)
                    // The constructor the container itself would pick: the one that applies the filters (host.json
                    // levels, the Azure.Core filter) and the external scopes.
                    ? new LoggerFactory(
                        services.GetServices<ILoggerProvider>(),
                        services.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(),
                        services.GetService<IOptions<LoggerFactoryOptions>>(),
                        services.GetService<IExternalScopeProvider>())
                    : (ILoggerFactory)ActivatorUtilities.CreateInstance(services, inner.ImplementationType!));
            return new RedactingLoggerFactory(factory, redactor);
        }
    }
}
