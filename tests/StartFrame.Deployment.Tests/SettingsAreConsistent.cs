using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace StartFrame.Deployment.Tests;

/// <summary>
/// Every setting the code reads is set where it must be, and nothing in the settings files is unknown to the code or
/// the platform. Settings are derived from the options classes by reflection: a new option property fails these
/// checks until infra/ and local.settings.sample.json (and the configuration table of docs/configuration.md) carry it.
/// </summary>
public sealed class SettingsAreConsistent
{
    [Fact]
    public void The_code_binds_the_StartFrame_and_ModelStream_sections()
    {
        Assert.Contains(CodeSettings.OptionsClasses, o => o.Section == "StartFrame");
        Assert.Contains(CodeSettings.OptionsClasses, o => o.Section == "ModelStream");
        Assert.Contains(CodeSettings.Options, s => s.Name == "ModelStream__ApiKey" && s.Required);
    }

    [Fact]
    public void Every_setting_the_code_needs_in_Azure_is_a_deployed_app_setting()
    {
        var appSettings = RepoFiles.DeployedAppSettings();
        var needed = CodeSettings.Options.Where(s => s.Required).Select(s => s.Name)
            .Concat(CodeSettings.IdentityConnectionSettings)
            .Concat(CodeSettings.SetExplicitlyInAzure);

        var missing = needed.Where(name => !appSettings.Keys.Contains(name, StringComparer.OrdinalIgnoreCase)).ToList();

        Assert.True(missing.Count == 0, $"Not deployed as app settings ({RepoFiles.FunctionAppBicep}, resource appSettings): {string.Join(", ", missing)}");
    }

    [Fact]
    public void Every_deployed_app_setting_is_known_to_the_code_or_the_platform()
    {
        var unknown = RepoFiles.DeployedAppSettings().Keys.Where(name => !CodeSettings.IsKnown(name)).ToList();

        Assert.True(unknown.Count == 0, $"{RepoFiles.FunctionAppBicep} sets settings nothing reads: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void Every_option_has_a_value_in_local_settings_sample()
    {
        var values = RepoFiles.LocalSettingsValues();
        var needed = CodeSettings.Options.Where(s => !s.IsPrefix).Select(s => s.Name)
            .Append(CodeSettings.StorageConnection)
            .Append("FUNCTIONS_WORKER_RUNTIME");

        var missing = needed.Where(name => !values.Keys.Contains(name, StringComparer.OrdinalIgnoreCase)).ToList();

        Assert.True(missing.Count == 0, $"Missing from local.settings.sample.json (Values): {string.Join(", ", missing)}");
    }

    [Fact]
    public void Every_option_is_in_the_configuration_table_of_the_docs()
    {
        var readme = RepoFiles.Text("docs/configuration.md");

        var missing = CodeSettings.Options.Where(s => !s.IsPrefix).Select(s => s.Name)
            .Where(name => !readme.Contains($"| `{name}` |", StringComparison.Ordinal))
            .ToList();

        Assert.True(missing.Count == 0, $"Missing from the configuration table of docs/configuration.md: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Every_local_setting_is_known_to_the_code_or_the_platform()
    {
        var unknown = RepoFiles.LocalSettingsValues().Keys.Where(name => !CodeSettings.IsKnown(name)).ToList();

        Assert.True(unknown.Count == 0, $"local.settings.sample.json sets settings nothing reads: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void Local_settings_are_strings_for_the_isolated_worker_against_Azurite()
    {
        var values = RepoFiles.LocalSettingsValues();

        // Core Tools rejects non-string values in local.settings.json.
        Assert.All(values, pair => Assert.True(pair.Value.ValueKind == JsonValueKind.String, $"{pair.Key} is not a JSON string."));
        Assert.Equal("dotnet-isolated", values["FUNCTIONS_WORKER_RUNTIME"].GetString());
        Assert.Equal("UseDevelopmentStorage=true", values[CodeSettings.StorageConnection].GetString());
    }

    [Fact]
    public void Local_sample_values_bind_to_the_options_and_pass_their_validation()
    {
        // Environment-variable style names (Section__Property) become configuration paths, as the host does.
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(RepoFiles.LocalSettingsValues()
                .Select(pair => KeyValuePair.Create(pair.Key.Replace("__", ":", StringComparison.Ordinal), pair.Value.GetString())))
            .Build();

        foreach (var (type, section) in CodeSettings.OptionsClasses)
        {
            var options = Activator.CreateInstance(type)!;
            configuration.GetSection(section).Bind(options);
            var errors = new List<ValidationResult>();

            var valid = Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true);

            Assert.True(valid, $"{type.Name} from local.settings.sample.json: {string.Join("; ", errors.Select(e => e.ErrorMessage))}");
        }
    }

    [Fact]
    public void The_API_key_reaches_the_app_only_as_a_Key_Vault_reference_to_the_deployed_secret()
    {
        var apiKey = RepoFiles.DeployedAppSettings()["ModelStream__ApiKey"];
        var secret = ArmValues.Id(CompiledInfra.Instance.Single("Microsoft.KeyVault/vaults/secrets"));

        Assert.Matches($@"^\[format\('@Microsoft\.KeyVault\(SecretUri=\{{0\}}\)', reference\('{Regex.Escape(secret)}', '[^']+'\)\.secretUri\)\]$", apiKey);
    }

    [Fact]
    public void Storage_and_telemetry_are_reached_with_the_user_assigned_identity_only()
    {
        var appSettings = RepoFiles.DeployedAppSettings();
        var identity = ArmValues.Id(CompiledInfra.Instance.Single("Microsoft.ManagedIdentity/userAssignedIdentities"));
        var account = ArmValues.Id(CompiledInfra.Instance.Single("Microsoft.Storage/storageAccounts"));

        Assert.Equal("managedidentity", appSettings["AzureWebJobsStorage__credential"]);
        Assert.Equal($"{identity}.clientId", ArmValues.ReferenceOf(appSettings["AzureWebJobsStorage__clientId"]));
        foreach (var service in new[] { "blob", "queue", "table" })
        {
            Assert.Equal($"{account}.primaryEndpoints.{service}", ArmValues.ReferenceOf(appSettings[$"AzureWebJobsStorage__{service}ServiceUri"]));
        }

        Assert.Matches($@"^\[format\('ClientId=\{{0\}};Authorization=AAD', reference\('{Regex.Escape(identity)}', '[^']+'\)\.clientId\)\]$", appSettings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
        // A connection string would need the account keys, which the account disables.
        Assert.DoesNotContain(CodeSettings.StorageConnection, appSettings.Keys);
    }

    [Theory]
    [InlineData("FUNCTIONS_WORKER_RUNTIME")]
    [InlineData("FUNCTIONS_EXTENSION_VERSION")]
    [InlineData("WEBSITE_RUN_FROM_PACKAGE")]
    [InlineData("WEBSITE_CONTENTAZUREFILECONNECTIONSTRING")]
    [InlineData("WEBSITE_CONTENTSHARE")]
    public void Flex_Consumption_settings_come_from_functionAppConfig_not_app_settings(string setting)
    {
        Assert.DoesNotContain(setting, RepoFiles.DeployedAppSettings().Keys, StringComparer.OrdinalIgnoreCase);
    }
}
