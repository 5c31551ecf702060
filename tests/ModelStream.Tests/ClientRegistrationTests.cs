using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ModelStream.Client;
using ModelStream.Simulator;

namespace ModelStream.Tests;

public sealed class ClientRegistrationTests
{
    [Fact]
    public async Task Missing_api_key_fails_when_the_host_starts()
    {
        using var host = BuildHost(new() { ["ModelStream:BaseUrl"] = "https://api.modelstream.ai" });

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("ApiKey", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ModelStream:MaxRetries", "11", "MaxRetries")]
    [InlineData("ModelStream:AttemptTimeout", "00:00:00.001", "AttemptTimeout")]
    [InlineData("ModelStream:MaxRetryDelay", "01:00:00", "MaxRetryDelay")]
    [InlineData("ModelStream:RetryBaseDelay", "00:00:40", "MaxRetryDelay")] // longer than the 30 s default cap
    [InlineData("ModelStream:BaseUrl", "ftp://api.modelstream.ai", "BaseUrl")]
    public async Task Out_of_range_setting_fails_when_the_host_starts(string key, string value, string named)
    {
        using var host = BuildHost(new() { ["ModelStream:ApiKey"] = "sk-x", [key] = value });

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(named, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Valid_settings_start_and_bind_every_option()
    {
        using var host = BuildHost(new()
        {
            ["ModelStream:BaseUrl"] = "http://127.0.0.1:5080",
            ["ModelStream:ApiKey"] = "sk-x",
            ["ModelStream:MaxRetries"] = "5",
            ["ModelStream:RetryBaseDelay"] = "00:00:02",
            ["ModelStream:MaxRetryDelay"] = "00:00:10",
            ["ModelStream:AttemptTimeout"] = "00:01:30",
        });

        await host.StartAsync();
        var options = host.Services.GetRequiredService<IOptions<ModelStreamClientOptions>>().Value;
        await host.StopAsync();

        Assert.Equal(new Uri("http://127.0.0.1:5080"), options.BaseUrl);
        Assert.Equal(5, options.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(2), options.RetryBaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(10), options.MaxRetryDelay);
        Assert.Equal(TimeSpan.FromSeconds(90), options.AttemptTimeout);
        Assert.NotNull(host.Services.GetRequiredService<ModelStreamClient>());
    }

    [Fact]
    public void Defaults_are_three_retries_from_one_second_capped_at_thirty_and_a_sixty_second_attempt()
    {
        var options = new ModelStreamClientOptions();

        Assert.Equal(new Uri("https://api.modelstream.ai"), options.BaseUrl);
        Assert.Equal(3, options.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(1), options.RetryBaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), options.MaxRetryDelay);
        Assert.Equal(TimeSpan.FromSeconds(60), options.AttemptTimeout);
    }

    [Fact]
    public async Task Api_key_never_reaches_the_logs_even_at_trace()
    {
        await using var harness = await ClientHarness.StartAsync();
        harness.Simulator.AddFaults(new SimulatedFault { Status = 429, RetryAfter = 0 }, new SimulatedFault { Status = 400 });

        await Assert.ThrowsAsync<ModelStreamException>(() => harness.Client.SubmitAsync(ClientHarness.SampleRequest(), "corr-1"));
        await harness.Client.SubmitAsync(ClientHarness.SampleRequest(), "corr-2");

        var records = harness.Logs.GetSnapshot();
        // One line per attempt: the 429, the retried 400, then the success; headers are never logged.
        Assert.Equal(
            ["answered 429", "answered 400", "answered 200"],
            records.Where(record => record.Id.Name == "ModelStreamAnswered").Select(record => record.Message[record.Message.IndexOf("answered", StringComparison.Ordinal)..][..12]));
        Assert.Contains(records, record => record.Message.EndsWith("(correlation corr-2)", StringComparison.Ordinal));
        Assert.DoesNotContain(records, record => record.ToString().Contains("Authorization", StringComparison.OrdinalIgnoreCase));
        foreach (var record in records)
        {
            Assert.DoesNotContain(ClientHarness.ApiKey, record.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(ClientHarness.ApiKey, record.Exception?.ToString() ?? "", StringComparison.Ordinal);
            Assert.All(record.StructuredState ?? [], pair => Assert.DoesNotContain(ClientHarness.ApiKey, pair.Value ?? "", StringComparison.Ordinal));
        }
    }

    private static IHost BuildHost(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddModelStreamClient(builder.Configuration);
        return builder.Build();
    }
}
