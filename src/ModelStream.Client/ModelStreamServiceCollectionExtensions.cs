using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using ModelStream.Client;
using Polly;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="ModelStreamClient"/>.</summary>
public static class ModelStreamServiceCollectionExtensions
{
    /// <summary>The name of the client's resilience pipeline (it shows in resilience telemetry).</summary>
    public const string PipelineName = "modelstream";

    /// <summary>
    /// Adds <see cref="ModelStreamClient"/> as a typed HTTP client: options from the <c>ModelStream</c> section
    /// (validated at start; <c>ApiKey</c> is required) and one resilience pipeline that retries only what cannot
    /// have been processed — 429, 503 and connections that failed before sending — and bounds each attempt with
    /// <see cref="ModelStreamClientOptions.AttemptTimeout"/>. A 5xx or timeout is never retried: it may have been charged.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration root holding the <c>ModelStream</c> section.</param>
    /// <returns>The client's builder, for further configuration.</returns>
    public static IHttpClientBuilder AddModelStreamClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<ModelStreamClientOptions>()
            .Bind(configuration.GetSection(ModelStreamClientOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);

        var builder = services
            .AddHttpClient<ModelStreamClient>(client => client.Timeout = Timeout.InfiniteTimeSpan) // the pipeline times each attempt
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // A redirect would turn the POST into a GET, or re-send it elsewhere without the key: surface it instead.
                AllowAutoRedirect = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),

                // No trace context to a third party: our trace and span ids are ours (the caller's context goes no
                // further than our own records), and the caller's span already times the call. It also spares the
                // HttpClient Activity the handler would otherwise make per request under a span.
                ActivityHeadersPropagator = null,
            })
            // The factory's default loggers put raw header values, the key included, in their structured state.
            .RemoveAllLoggers()
            .AddLogger(services => new ModelStreamHttpLogger(services.GetRequiredService<ILogger<ModelStreamClient>>()));

        builder.AddResilienceHandler(PipelineName, static (pipeline, context) =>
        {
            var options = context.GetOptions<ModelStreamClientOptions>();
            var timeProvider = context.ServiceProvider.GetRequiredService<TimeProvider>();
            if (options.MaxRetries > 0)
            {
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = options.MaxRetries,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = options.RetryBaseDelay,
                    MaxDelay = options.MaxRetryDelay,
                    ShouldRetryAfterHeader = true,
                    ShouldHandle = args => ValueTask.FromResult(FailurePolicy.ShouldRetry(args.Outcome, options.MaxRetryDelay, timeProvider)),
                });
            }

            // Inside the retry, so it times one attempt; the retry does not handle its TimeoutRejectedException.
            pipeline.AddTimeout(new HttpTimeoutStrategyOptions { Timeout = options.AttemptTimeout });
        });

        return builder;
    }
}
