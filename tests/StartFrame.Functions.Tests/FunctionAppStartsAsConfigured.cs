using System.Reflection;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Trace;
using StartFrame.Core;
using StartFrame.Core.Redaction;
using StartFrame.Core.Telemetry;

namespace StartFrame.Functions.Tests;

/// <summary>
/// Builds the host exactly as <c>Program.cs</c> does (<see cref="StartFrameFunctionsApp.Configure"/>), with the settings of
/// <c>local.settings.sample.json</c>, and checks what the Functions host would find at start-up. Nothing is started: the
/// worker's gRPC channel needs the host, and nothing here needs it.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class FunctionAppStartsAsConfigured
{
    public static TheoryData<Type> FunctionClasses()
    {
        var data = new TheoryData<Type>();
        foreach (var type in FunctionTypes())
        {
            data.Add(type);
        }

        return data;
    }

    [Fact]
    public void The_app_has_the_seven_functions_the_host_indexes()
    {
        Assert.Equal(
            ["GetVideo", "OwedRecordsDue", "StartFrameUploaded", "SubmissionQueued", "SubmitVideo", "UploadRecheckDue", "VideoTrackingDue"],
            FunctionTypes().SelectMany(t => t.GetMethods()).Select(m => m.GetCustomAttribute<FunctionAttribute>()?.Name).OfType<string>().Order());
    }

    [Theory]
    [MemberData(nameof(FunctionClasses))]
    public void Every_function_class_resolves_from_the_apps_services(Type function)
    {
        using var host = Build(SampleSettings());

        // What the worker's DefaultFunctionActivator does for each invocation.
        var instance = ActivatorUtilities.CreateInstance(host.Services, function);

        Assert.IsType(function, instance);
    }

    [Fact]
    public void Options_validate_at_start_with_the_sample_settings()
    {
        using var host = Build(SampleSettings());

        // The same check Host.StartAsync runs first (ValidateOnStart), without starting the worker.
        host.Services.GetRequiredService<IStartupValidator>().Validate();

        // The sample leaves the default model to the catalog.
        Assert.True(string.IsNullOrEmpty(host.Services.GetRequiredService<IOptions<StartFrameOptions>>().Value.DefaultModel));
        Assert.Equal("viduq2-pro-fast", host.Services.GetRequiredService<StartFrame.Core.Catalog.ModelCatalog>().DefaultModel);
    }

    [Fact]
    public void The_app_registers_a_tracer_provider_that_records_the_StartFrame_source()
    {
        using var host = Build(SampleSettings());

        // Resolving it is what the hosted service does at start: from then on the core's spans are made and sampled.
        Assert.NotNull(host.Services.GetService<TracerProvider>());
        using var span = StartFrameTelemetry.Source.StartActivity("probe");

        Assert.NotNull(span);
        Assert.True(span.Recorded);
    }

    [Fact]
    public void The_trace_sample_ratio_decides_new_traces_and_failures_are_still_recorded()
    {
        var settings = SampleSettings();
        settings["StartFrame:TraceSampleRatio"] = "0";
        using var host = Build(settings);
        Assert.NotNull(host.Services.GetService<TracerProvider>());

        using var span = StartFrameTelemetry.Source.StartActivity("probe", System.Diagnostics.ActivityKind.Internal, default(System.Diagnostics.ActivityContext));

        // Not sampled, but made and recorded: a failure in it can still be exported.
        Assert.NotNull(span);
        Assert.False(span.Recorded);
        Assert.True(span.IsAllDataRequested);
    }

    [Fact]
    public void With_Azure_Monitor_configured_the_apps_sampler_still_decides()
    {
        // The Azure Monitor exporter brings a rate-limited sampler of its own; the app's must be the one used.
        var settings = SampleSettings();
        settings["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/";
        settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9";
        settings["StartFrame:TraceSampleRatio"] = "0";
        using var host = Build(settings);
        Assert.NotNull(host.Services.GetService<TracerProvider>());
        var unsampledCaller = new System.Diagnostics.ActivityContext(
            System.Diagnostics.ActivityTraceId.CreateRandom(), System.Diagnostics.ActivitySpanId.CreateRandom(), System.Diagnostics.ActivityTraceFlags.None, isRemote: true);

        using var root = StartFrameTelemetry.Source.StartActivity("new trace", System.Diagnostics.ActivityKind.Internal, default(System.Diagnostics.ActivityContext));
        using var poll = StartFrameTelemetry.Source.StartActivity("poll of a dropped trace", System.Diagnostics.ActivityKind.Consumer, unsampledCaller);

        Assert.False(root!.Recorded);
        Assert.False(poll!.Recorded);
        Assert.True(poll.IsAllDataRequested); // still made, so a failure in it is kept
    }

    [Fact]
    public void A_trace_sample_ratio_outside_0_to_1_stops_start_up_naming_the_setting()
    {
        var settings = SampleSettings();
        settings["StartFrame:TraceSampleRatio"] = "1.5";
        using var host = Build(settings);

        var failure = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("TraceSampleRatio", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_exporters_build_when_Azure_Monitor_and_OTLP_are_configured()
    {
        var settings = SampleSettings();
        settings["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/";
        settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"] = "ClientId=11111111-1111-1111-1111-111111111111;Authorization=AAD";
        settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9";
        using var host = Build(settings);

        // Building the providers builds every exporter: a bad option or a missing package throws here, not in Azure.
        Assert.NotNull(host.Services.GetService<TracerProvider>());
        Assert.NotNull(host.Services.GetService<OpenTelemetry.Metrics.MeterProvider>());
    }

    [Fact]
    public void A_missing_api_key_stops_start_up_with_one_line_naming_the_setting()
    {
        var settings = SampleSettings();
        settings["ModelStream:ApiKey"] = "";
        using var host = Build(settings);

        var failure = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("ModelStream__ApiKey is not set", failure.Message);
        Assert.DoesNotContain('\n', failure.Message);
    }

    [Fact]
    public void A_missing_storage_connection_stops_start_up_with_one_line_naming_the_setting()
    {
        var settings = SampleSettings();
        settings["AzureWebJobsStorage"] = "";

        var failure = Assert.Throws<MissingSettingException>(() => Build(settings));

        Assert.Equal("AzureWebJobsStorage", failure.Setting);
        Assert.StartsWith("Storage connection 'AzureWebJobsStorage' is not set.", failure.Message);
        Assert.DoesNotContain('\n', failure.Message);
    }

    [Fact]
    public void A_bad_option_value_stops_start_up_naming_the_option()
    {
        var settings = SampleSettings();
        settings["StartFrame:MaxSubmitAttempts"] = "0";
        using var host = Build(settings);

        var failure = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("MaxSubmitAttempts", failure.Message);
    }

    [Fact]
    public void Every_log_line_of_the_app_passes_the_redactor_whatever_provider_writes_it()
    {
        const string Key = "sk-functions-LOGKEY-123";
        var settings = SampleSettings();
        settings["ModelStream:ApiKey"] = Key;
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(settings);
        StartFrameFunctionsApp.Configure(builder);
        var lines = new CapturedLines();
        builder.Logging.AddProvider(lines); // a provider added after the app's own configuration is covered too
        using var host = builder.Build();

        Assert.IsType<RedactingLoggerFactory>(host.Services.GetRequiredService<ILoggerFactory>());
        host.Services.GetRequiredService<ILogger<FunctionAppStartsAsConfigured>>()
            .LogError("ModelStream said {Reason}", $"key {Key} cannot read https://a.blob.core.windows.net/c/x.png?sig=FUNCSIG with Bearer eyJFUNCBEARER.e30.x1");

        var line = Assert.Single(lines.Lines, l => l.StartsWith("ModelStream said", StringComparison.Ordinal));
        Assert.DoesNotContain(Key, line, StringComparison.Ordinal);
        Assert.DoesNotContain("FUNCSIG", line, StringComparison.Ordinal);
        Assert.DoesNotContain("FUNCBEARER", line, StringComparison.Ordinal);
    }

    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = FunctionsApplication.CreateBuilder([]);

        // Last source wins: the sample's values override anything this process's environment happens to set.
        builder.Configuration.AddInMemoryCollection(settings);
        return StartFrameFunctionsApp.Configure(builder).Build();
    }

    /// <summary>The <c>Values</c> of local.settings.sample.json, as Core Tools hands them to the worker.</summary>
    private static Dictionary<string, string?> SampleSettings()
    {
        var path = Path.Combine(StartFrame.LocalDev.RepoLayout.Find().Root, "local.settings.sample.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("Values").EnumerateObject()
            .ToDictionary(p => p.Name.Replace("__", ":", StringComparison.Ordinal), p => (string?)p.Value.GetString(), StringComparer.OrdinalIgnoreCase);
    }

    private static IEnumerable<Type> FunctionTypes() =>
        typeof(StartFrameFunctionsApp).Assembly.GetTypes()
            .Where(t => t.GetMethods().Any(m => m.GetCustomAttribute<FunctionAttribute>() is not null))
            .OrderBy(t => t.Name, StringComparer.Ordinal);

    private sealed class CapturedLines : ILoggerProvider, ILogger
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Enqueue(formatter(state, exception));

        public void Dispose()
        {
        }
    }
}
