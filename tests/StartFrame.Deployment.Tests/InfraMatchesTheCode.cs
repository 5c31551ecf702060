using System.Reflection;
using StartFrame.Core;
using StartFrame.LocalDev.EventGrid;

namespace StartFrame.Deployment.Tests;

/// <summary>The storage entities, outputs and webhook names of the compiled infra agree with the code and the hooks.</summary>
public sealed class InfraMatchesTheCode
{
    /// <summary>Container, queue and table names the core declares (constants of StartFrameOptions named *Container, *Queue, *Table).</summary>
    private static List<string> CoreNames(string suffix) =>
        typeof(StartFrameOptions).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string) && f.Name.EndsWith(suffix, StringComparison.Ordinal))
            .Select(f => (string)f.GetRawConstantValue()!)
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>Names of the deployed child resources of <paramref name="type"/> (the last segment of each name).</summary>
    private static List<string> Deployed(string type) =>
        CompiledInfra.Instance.OfType(type)
            .Select(r => r.GetProperty("name").GetString()!.Split('/')[^1])
            .Order(StringComparer.Ordinal)
            .ToList();

    [Fact]
    public void Every_container_the_core_names_is_deployed_and_only_the_app_package_container_besides()
    {
        var deployed = Deployed("Microsoft.Storage/storageAccounts/blobServices/containers");
        var inCode = CoreNames("Container");

        Assert.Contains(StartFrameOptions.UploadsContainer, inCode);
        Assert.Contains(StartFrameOptions.DeadLetterContainer, inCode);
        Assert.Contains(StartFrameOptions.RecordsContainer, inCode);
        Assert.Contains(StartFrameOptions.VideosContainer, inCode);
        Assert.All(inCode, name => Assert.True(deployed.Contains(name), $"infra/app/storage.bicep creates no container '{name}' (named by the code)."));
        var others = deployed.Except(inCode).ToList();
        var appPackage = Assert.Single(others);
        Assert.StartsWith("app-package-", appPackage, StringComparison.Ordinal);
    }

    [Fact]
    public void Exactly_the_queues_the_core_names_are_deployed()
    {
        var inCode = CoreNames("Queue");

        Assert.Contains(StartFrameOptions.TasksQueue, inCode);
        Assert.Contains(StartFrameOptions.FailuresQueue, inCode);
        Assert.Contains(StartFrameOptions.SubmissionsQueue, inCode);
        Assert.Contains(StartFrameOptions.TrackingQueue, inCode);
        Assert.Contains(StartFrameOptions.CompletionsQueue, inCode);
        Assert.Equal(inCode, Deployed("Microsoft.Storage/storageAccounts/queueServices/queues"));
    }

    [Fact]
    public void Every_trigger_of_the_table_listens_on_a_deployed_container_or_queue_and_no_poison_queue_is_deployed()
    {
        var containers = Deployed("Microsoft.Storage/storageAccounts/blobServices/containers");
        var queues = Deployed("Microsoft.Storage/storageAccounts/queueServices/queues");

        foreach (var trigger in StartFrame.Core.Storage.TriggerTable.All)
        {
            switch (trigger.Kind)
            {
                case StartFrame.Core.Storage.TriggerKind.Blob:
                    Assert.True(containers.Contains(trigger.Source), $"{trigger.Function} listens on container '{trigger.Source}', which infra/app/storage.bicep does not create.");
                    break;
                case StartFrame.Core.Storage.TriggerKind.Queue:
                    Assert.True(queues.Contains(trigger.Source), $"{trigger.Function} listens on queue '{trigger.Source}', which infra/app/storage.bicep does not create.");
                    break;
            }

            // The host creates a poison queue on its first message; deploying one would hide a name that drifted.
            Assert.True(trigger.PoisonQueue is null || !queues.Contains(trigger.PoisonQueue), $"infra deploys the poison queue {trigger.PoisonQueue}");
        }

        var blob = Assert.Single(StartFrame.Core.Storage.TriggerTable.All, t => t.Kind == StartFrame.Core.Storage.TriggerKind.Blob);
        foreach (var hook in new[] { "postdeploy.sh", "postdeploy.ps1" })
        {
            var text = File.ReadAllText(Path.Combine(StartFrame.LocalDev.RepoLayout.Find().Root, "infra", "hooks", hook));
            Assert.True(text.Contains(blob.Function, StringComparison.Ordinal), $"infra/hooks/{hook} subscribes no Event Grid webhook for {blob.Function}");
        }
    }

    [Fact]
    public void Exactly_the_tables_the_core_names_are_deployed()
    {
        var inCode = CoreNames("Table");

        Assert.Equal([StartFrameOptions.GenerationTimesTable, StartFrameOptions.LedgerTable, StartFrameOptions.OwedRecordsTable, StartFrameOptions.ProviderSlotsTable], inCode);
        Assert.Equal(inCode, Deployed("Microsoft.Storage/storageAccounts/tableServices/tables"));
    }

    [Fact]
    public void Main_outputs_everything_the_postdeploy_hooks_read()
    {
        var outputs = CompiledInfra.Instance.Template.GetProperty("outputs").EnumerateObject().Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        string[] read = ["AZURE_FUNCTION_APP_NAME", "RESOURCE_GROUP", "EVENT_GRID_SYSTEM_TOPIC_NAME", "UPLOADS_CONTAINER_NAME", "DEAD_LETTER_CONTAINER_NAME", "AZURE_STORAGE_ACCOUNT_ID"];

        foreach (var hook in Hooks.Files)
        {
            var text = RepoFiles.Text(hook);
            Assert.All(read, name => Assert.True(text.Contains(name, StringComparison.Ordinal), $"{hook} does not read {name}."));
        }

        Assert.All(read, name => Assert.True(outputs.Contains(name), $"infra/main.bicep has no output {name}, which the hooks read."));
    }

    [Fact]
    public void The_container_outputs_are_the_containers_the_code_uses()
    {
        Assert.Equal(StartFrameOptions.UploadsContainer, CompiledInfra.Instance.Output("UPLOADS_CONTAINER_NAME"));
        Assert.Equal(StartFrameOptions.DeadLetterContainer, CompiledInfra.Instance.Output("DEAD_LETTER_CONTAINER_NAME"));
        Assert.Equal(ArmValues.Id(CompiledInfra.Instance.Single("Microsoft.Storage/storageAccounts")), CompiledInfra.Instance.Output("AZURE_STORAGE_ACCOUNT_ID"));
    }

    [Fact]
    public void Hooks_and_local_webhook_target_the_blob_function_by_its_name()
    {
        var function = RepoFiles.Text("src/StartFrame.Functions/StartFrameUploaded.cs");

        Assert.Contains("[Function(nameof(StartFrameUploaded))]", function, StringComparison.Ordinal);
        Assert.Contains("public sealed class StartFrameUploaded(", function, StringComparison.Ordinal);
        Assert.Equal("StartFrameUploaded", LocalBlobWebhook.FunctionName);
        foreach (var hook in Hooks.Files)
        {
            var text = RepoFiles.Text(hook);
            Assert.Contains("'StartFrameUploaded'", text.Replace('"', '\''), StringComparison.Ordinal);
            Assert.Contains("/runtime/webhooks/blobs?functionName=Host.Functions.", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Azd_deploys_the_function_project_to_the_app_tagged_with_its_service_name_and_runs_both_hooks()
    {
        var azureYaml = RepoFiles.Text("azure.yaml");
        var site = CompiledInfra.Instance.Single("Microsoft.Web/sites");

        Assert.Contains("project: ./src/StartFrame.Functions/", azureYaml, StringComparison.Ordinal);
        Assert.Contains("host: function", azureYaml, StringComparison.Ordinal);
        Assert.Contains("run: ./infra/hooks/postdeploy.sh", azureYaml, StringComparison.Ordinal);
        Assert.Contains("run: ./infra/hooks/postdeploy.ps1", azureYaml, StringComparison.Ordinal);
        Assert.True(File.Exists(RepoFiles.PathOf("src/StartFrame.Functions/StartFrame.Functions.csproj")));
        // azd finds the app by this tag; the service is named 'functions' in azure.yaml.
        Assert.Contains("\n  functions:\n", azureYaml.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal("functions", ArmValues.At(site, "tags.azd-service-name").GetString());
    }

    [Fact]
    public void Every_resource_carries_the_azd_environment_tag()
    {
        var tagged = CompiledInfra.Instance.Resources.Where(r => r.TryGetProperty("location", out _)).ToList();

        Assert.NotEmpty(tagged);
        Assert.All(tagged, r => Assert.True(
            r.TryGetProperty("tags", out var tags) && tags.TryGetProperty("azd-env-name", out var env) && env.GetString() == CompiledInfra.EnvironmentName,
            $"{r.GetProperty("type")} '{r.GetProperty("name")}' lacks the tag azd-env-name."));
    }

    [Fact]
    public void Parameters_file_maps_every_required_parameter_and_the_secret_from_the_azd_environment()
    {
        using var parameters = RepoFiles.Json("infra/main.parameters.json");
        var declared = CompiledInfra.Instance.Template.GetProperty("parameters").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
        var mapped = parameters.RootElement.GetProperty("parameters").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetProperty("value").GetString());

        Assert.Equal("${MODELSTREAM_API_KEY}", mapped["modelStreamApiKey"]);
        Assert.Equal("securestring", declared["modelStreamApiKey"].GetProperty("type").GetString());
        Assert.Equal(1, declared["modelStreamApiKey"].GetProperty("minLength").GetInt32());
        Assert.All(mapped.Keys, name => Assert.True(declared.ContainsKey(name), $"main.parameters.json maps '{name}', which main.bicep does not declare."));
        Assert.All(declared.Where(p => !p.Value.TryGetProperty("defaultValue", out _)),
            p => Assert.True(mapped.ContainsKey(p.Key), $"main.bicep requires '{p.Key}'; main.parameters.json does not map it."));
    }
}

/// <summary>The azd postdeploy hooks, bash and PowerShell twins.</summary>
internal static class Hooks
{
    public const string Bash = "infra/hooks/postdeploy.sh";
    public const string PowerShell = "infra/hooks/postdeploy.ps1";

    public static readonly string[] Files = [Bash, PowerShell];
}
