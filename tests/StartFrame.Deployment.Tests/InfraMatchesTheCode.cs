using System.Reflection;
using StartFrame.Core;
using StartFrame.LocalDev.EventGrid;

namespace StartFrame.Deployment.Tests;

/// <summary>The storage entities, module wiring and webhook names of infra/ agree with the code (no Bicep compiler here).</summary>
public sealed class InfraMatchesTheCode
{
    /// <summary>Container, queue and table names the core declares (constants named *Container, *Queue, *Table).</summary>
    private static List<(string Constant, string Value)> CoreNames(string suffix) =>
        typeof(StartFrameOptions).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string) && f.Name.EndsWith(suffix, StringComparison.Ordinal))
            .Select(f => (Constant: f.Name, Value: (string)f.GetRawConstantValue()!))
            .ToList();

    [Fact]
    public void Bicep_creates_every_container_the_core_names()
    {
        var bicep = RepoFiles.Text(RepoFiles.StorageEntitiesBicep);

        Assert.Equal(StartFrameOptions.UploadsContainer, Bicep.StringVariable(bicep, "uploadsContainerName"));
        Assert.Equal(StartFrameOptions.VideosContainer, Bicep.StringVariable(bicep, "videosContainerName"));
        Assert.Equal(
            [StartFrameOptions.UploadsContainer, StartFrameOptions.VideosContainer],
            CoreNames("Container").Select(c => c.Value).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Bicep_creates_exactly_the_queues_the_core_names()
    {
        var inBicep = Bicep.StringArrayVariable(RepoFiles.Text(RepoFiles.StorageEntitiesBicep), "queueNames").Order(StringComparer.Ordinal);
        var inCode = CoreNames("Queue").Select(c => c.Value).Order(StringComparer.Ordinal);

        Assert.Equal(inCode, inBicep);
        Assert.Contains(StartFrameOptions.TasksQueue, inCode);
        Assert.Contains(StartFrameOptions.FailuresQueue, inCode);
        Assert.Contains(StartFrameOptions.SubmissionsQueue, inCode);
        Assert.Contains(StartFrameOptions.TrackingQueue, inCode);
        Assert.Contains(StartFrameOptions.CompletionsQueue, inCode);
    }

    [Fact]
    public void Bicep_creates_the_ledger_table_the_core_names()
    {
        var tables = CoreNames("Table");

        var ledger = Assert.Single(tables);
        Assert.Equal("LedgerTable", ledger.Constant);
        Assert.Equal(ledger.Value, Bicep.StringVariable(RepoFiles.Text(RepoFiles.StorageEntitiesBicep), "ledgerTableName"));
    }

    [Fact]
    public void Every_local_module_exists_gets_only_declared_params_and_all_required_ones()
    {
        foreach (var file in Directory.EnumerateFiles(RepoFiles.PathOf("infra"), "*.bicep", SearchOption.AllDirectories))
        {
            foreach (var (symbol, source, body) in Bicep.Modules(File.ReadAllText(file)))
            {
                if (source.StartsWith("br/", StringComparison.Ordinal) || source.StartsWith("br:", StringComparison.Ordinal))
                {
                    continue; // registry modules (AVM) are pinned by version; their parameters were checked against the samples.
                }

                var modulePath = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, source));
                Assert.True(File.Exists(modulePath), $"{Path.GetFileName(file)}: module '{symbol}' points at missing '{source}'.");
                var declared = Bicep.Parameters(File.ReadAllText(modulePath));
                var passed = Bicep.ParamsBlock(body, $"module {symbol}");

                var unknown = passed.Keys.Where(p => !declared.ContainsKey(p)).ToList();
                var missing = declared.Where(p => !p.Value && !passed.ContainsKey(p.Key)).Select(p => p.Key).ToList();
                Assert.True(unknown.Count == 0, $"module '{symbol}' ({source}) passes undeclared params: {string.Join(", ", unknown)}");
                Assert.True(missing.Count == 0, $"module '{symbol}' ({source}) omits required params: {string.Join(", ", missing)}");
            }
        }
    }

    [Fact]
    public void Every_output_read_from_a_local_module_is_declared_by_it()
    {
        var main = RepoFiles.Text(RepoFiles.MainBicep);
        foreach (var (symbol, source, _) in Bicep.Modules(main).Where(m => !m.Source.StartsWith("br/", StringComparison.Ordinal)))
        {
            var outputs = Bicep.Outputs(RepoFiles.Text($"infra/{source}"));
            var read = System.Text.RegularExpressions.Regex.Matches(main, $@"\b{symbol}\.outputs\.(?<name>[A-Za-z_][A-Za-z0-9_]*)")
                .Select(m => m.Groups["name"].Value)
                .Distinct();

            Assert.All(read, name => Assert.True(outputs.Contains(name), $"main.bicep reads {symbol}.outputs.{name}; {source} declares no such output."));
        }
    }

    [Fact]
    public void Main_outputs_everything_the_postdeploy_hooks_read()
    {
        var outputs = Bicep.Outputs(RepoFiles.Text(RepoFiles.MainBicep));

        foreach (var hook in new[] { "infra/hooks/postdeploy.sh", "infra/hooks/postdeploy.ps1" })
        {
            var text = RepoFiles.Text(hook);
            foreach (var name in new[] { "AZURE_FUNCTION_APP_NAME", "RESOURCE_GROUP", "EVENT_GRID_SYSTEM_TOPIC_NAME", "UPLOADS_CONTAINER_NAME" })
            {
                Assert.Contains(name, text, StringComparison.Ordinal);
                Assert.Contains(name, outputs);
            }
        }
    }

    [Fact]
    public void Hooks_and_local_webhook_target_the_blob_function_by_its_name()
    {
        var function = RepoFiles.Text("src/StartFrame.Functions/StartFrameUploaded.cs");

        Assert.Contains("[Function(nameof(StartFrameUploaded))]", function, StringComparison.Ordinal);
        Assert.Contains("public sealed class StartFrameUploaded(", function, StringComparison.Ordinal);
        Assert.Equal("StartFrameUploaded", LocalBlobWebhook.FunctionName);
        foreach (var hook in new[] { "infra/hooks/postdeploy.sh", "infra/hooks/postdeploy.ps1" })
        {
            var text = RepoFiles.Text(hook);
            Assert.Contains("'StartFrameUploaded'", text.Replace('"', '\''), StringComparison.Ordinal);
            Assert.Contains("/runtime/webhooks/blobs?functionName=Host.Functions.", text, StringComparison.Ordinal);
            Assert.Contains("Microsoft.Storage.BlobCreated", text, StringComparison.Ordinal);
            Assert.Contains("/blobServices/default/containers/", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Azd_deploys_the_function_project_and_runs_both_hooks()
    {
        var azureYaml = RepoFiles.Text("azure.yaml");

        Assert.Contains("project: ./src/StartFrame.Functions/", azureYaml, StringComparison.Ordinal);
        Assert.Contains("host: function", azureYaml, StringComparison.Ordinal);
        Assert.Contains("run: ./infra/hooks/postdeploy.sh", azureYaml, StringComparison.Ordinal);
        Assert.Contains("run: ./infra/hooks/postdeploy.ps1", azureYaml, StringComparison.Ordinal);
        Assert.True(File.Exists(RepoFiles.PathOf("src/StartFrame.Functions/StartFrame.Functions.csproj")));
        // azd finds the app by this tag; the service is named 'functions' in azure.yaml.
        Assert.Contains("functions:", azureYaml, StringComparison.Ordinal);
        Assert.Contains("param serviceName string = 'functions'", RepoFiles.Text(RepoFiles.FunctionAppBicep), StringComparison.Ordinal);
    }

    [Fact]
    public void Parameters_file_maps_the_secret_from_the_azd_environment()
    {
        using var parameters = RepoFiles.Json("infra/main.parameters.json");
        var declared = Bicep.Parameters(RepoFiles.Text(RepoFiles.MainBicep));
        var mapped = parameters.RootElement.GetProperty("parameters").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetProperty("value").GetString());

        Assert.Equal("${MODELSTREAM_API_KEY}", mapped["modelStreamApiKey"]);
        Assert.All(mapped.Keys, name => Assert.True(declared.ContainsKey(name), $"main.parameters.json maps '{name}', which main.bicep does not declare."));
        Assert.All(declared.Where(p => !p.Value), p => Assert.True(mapped.ContainsKey(p.Key), $"main.bicep requires '{p.Key}'; main.parameters.json does not map it."));
        Assert.Contains("@secure()\n@minLength(1)", RepoFiles.Text(RepoFiles.MainBicep).Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
