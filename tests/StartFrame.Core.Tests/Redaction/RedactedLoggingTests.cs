using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StartFrame.Core.Redaction;

namespace StartFrame.Core.Tests.Redaction;

/// <summary>
/// Every log line leaves through the redacting logger factory: the message, its structured values, the exception
/// and the scopes, whatever provider writes them and whatever the call site passed.
/// </summary>
public sealed class RedactedLoggingTests
{
    private const string Key = "sk-live-LOGKEY7f3e9a2b";
    private const string Sas = "https://acct.blob.core.windows.net/c/x.png?sv=2024-05-04&sr=b&sp=r&sig=LOGSASSIG%3D";
    private const string Bearer = "Bearer eyJLOGBEARER.e30.abc123";
    private const string AccountKey = "AccountName=acct;AccountKey=LOGACCOUNTKEY0123456789+/==;";
    private static readonly string[] Secrets = [Key, "LOGSASSIG", "LOGBEARER", "LOGACCOUNTKEY"];

    private static (ILoggerFactory Factory, CapturingProvider Lines, ServiceProvider Services) Build()
    {
        var lines = new CapturingProvider();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(lines).SetMinimumLevel(LogLevel.Trace).AddFilter("Azure.Core", LogLevel.Error));
        services.AddSingleton(new Redactor([Key]));
        services.AddRedactedLogging();
        services.AddRedactedLogging(); // a second call must not wrap twice
        var provider = services.BuildServiceProvider();
        return (provider.GetRequiredService<ILoggerFactory>(), lines, provider);
    }

    [Fact]
    public void Message_values_exception_and_scope_reach_the_provider_without_a_secret()
    {
        var (factory, lines, services) = Build();
        using (services)
        {
            var logger = factory.CreateLogger("Test");
            using (logger.BeginScope(new Dictionary<string, object> { ["Authorization"] = Bearer }))
            using (logger.BeginScope($"fetching {Sas}"))
            {
                logger.LogWarning(
                    new InvalidOperationException($"provider said: bad key {Key} for {Sas}", new FormatException(AccountKey)),
                    "Task {TaskId} failed: {Reason} ({Code}) after {Attempts} polls",
                    "task-1",
                    $"could not fetch {Sas} with {Bearer}",
                    "bad_key_" + Key,
                    3);
            }

            var line = Assert.Single(lines.Entries);
            var everything = string.Join('\n', [line.Message, line.Exception, .. line.Values.Select(v => $"{v.Key}={v.Value}"), .. lines.Scopes]);
            foreach (var secret in Secrets)
            {
                Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
            }

            Assert.Contains("Task task-1 failed: could not fetch https://acct.blob.core.windows.net/c/x.png?[redacted]", line.Message, StringComparison.Ordinal);
            Assert.Contains(line.Values, v => v.Key == "Attempts" && v.Value is 3); // numbers keep their type
            Assert.Contains(line.Values, v => v.Key == "{OriginalFormat}" && (string?)v.Value == "Task {TaskId} failed: {Reason} ({Code}) after {Attempts} polls");
            Assert.Equal(2, lines.Scopes.Count);
            Assert.Contains("fetching https://acct.blob.core.windows.net/c/x.png?[redacted]", lines.Scopes);
            Assert.Contains(nameof(InvalidOperationException), line.Exception, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_filters_of_the_wrapped_factory_still_apply()
    {
        var (factory, lines, services) = Build();
        using (services)
        {
            factory.CreateLogger("Azure.Core").LogWarning("retrying");
            factory.CreateLogger("Azure.Core").LogError("gave up");

            Assert.Equal("gave up", Assert.Single(lines.Entries).Message);
        }
    }

    [Fact]
    public void A_redacted_exception_keeps_the_original_type_and_stack_in_its_message()
    {
        var (factory, lines, services) = Build();
        using (services)
        {
            Exception thrown;
            try
            {
                throw new InvalidOperationException($"bad key {Key}");
            }
            catch (InvalidOperationException ex)
            {
                thrown = ex;
            }

            factory.CreateLogger("Test").LogError(thrown, "Failed");

            var logged = Assert.Single(lines.Entries).ExceptionObject!;
            Assert.IsType<RedactedException>(logged);
            Assert.StartsWith("System.InvalidOperationException: bad key [redacted]", logged.Message, StringComparison.Ordinal);
            Assert.Contains(nameof(A_redacted_exception_keeps_the_original_type_and_stack_in_its_message), logged.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void An_exception_without_a_secret_is_passed_on_as_it_was()
    {
        var (factory, lines, services) = Build();
        using (services)
        {
            var thrown = new TimeoutException("the poll timed out after 30 s");
            factory.CreateLogger<RedactedLoggingTests>().LogError(thrown, "Poll failed");

            Assert.Same(thrown, Assert.Single(lines.Entries).ExceptionObject);
        }
    }

    [Fact]
    public void Prose_about_the_bearer_key_is_logged_as_written()
    {
        var (factory, lines, services) = Build();
        using (services)
        {
            factory.CreateLogger("Test").LogError("ModelStream__ApiKey is not set: it must hold the ModelStream Bearer key (sk-…)");

            Assert.Equal("ModelStream__ApiKey is not set: it must hold the ModelStream Bearer key (sk-…)", Assert.Single(lines.Entries).Message);
        }
    }

    private sealed record Entry(string Message, string? Exception, Exception? ExceptionObject, IReadOnlyList<KeyValuePair<string, object?>> Values);

    private sealed class CapturingProvider : ILoggerProvider, ILogger
    {
        public List<Entry> Entries { get; } = [];

        public List<string> Scopes { get; } = [];

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            Scopes.Add(state is IEnumerable<KeyValuePair<string, object?>> values ? string.Join(", ", values.Select(v => $"{v.Key}={v.Value}")) : state.ToString() ?? "");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add(new Entry(formatter(state, exception), exception?.ToString(), exception, state as IReadOnlyList<KeyValuePair<string, object?>> ?? []));

        public void Dispose()
        {
        }
    }
}
