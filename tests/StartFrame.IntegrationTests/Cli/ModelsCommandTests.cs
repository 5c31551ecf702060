using System.Text.Json.Nodes;
using StartFrame.Cli.Commands.Submitting;
using StartFrame.Core.Catalog;
using static StartFrame.IntegrationTests.Cli.CliRunner;

namespace StartFrame.IntegrationTests.Cli;

/// <summary><c>startframe models</c>: the catalog the validator uses, as a table or as a loadable catalog file.</summary>
public sealed class ModelsCommandTests(ScratchDirectory files) : IClassFixture<ScratchDirectory>
{
    [Fact]
    public void The_table_lists_each_parameter_with_type_accepted_values_default_wire_location_and_description()
    {
        var run = Run(ModelsCommand.Create(Environment()), "models");

        Assert.Equal(0, run.ExitCode);
        var lines = run.OutputLines;
        Assert.StartsWith("viduq2-pro-fast", lines[0], StringComparison.Ordinal);
        Assert.Equal("image: PNG, JPEG, WebP; aspect 1:4 to 4:1; at most 50 MB (50,000,000 bytes)", lines[1]);
        Assert.Matches(@"^field\s+type\s+accepts\s+default\s+sent\s+what it is$", lines[2]);
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^duration\s+integer\s+1\.\.10 step 1\s+5\s+top level\s+Length in whole seconds\.$"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^seed\s+integer\s+0\.\.99999999\s+0\s+metadata\s+Random seed; 0 picks one at random\.$"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, "^stype\\s+string\\s+\"general\" \\| \"anime\"\\s+\"general\"\\s+top level\\s+Style\\.$"));
        Assert.Contains(lines, l => l.StartsWith("rule: if off_peak = true then audio = true", StringComparison.Ordinal));
    }

    [Fact]
    public void Json_output_is_one_line_and_a_catalog_file_that_loads_back()
    {
        var run = Run(ModelsCommand.Create(Environment()), "models", "--json");

        Assert.Equal(0, run.ExitCode);
        Assert.Single(run.OutputLines);
        Assert.Equal("viduq2-pro-fast", JsonNode.Parse(run.Output)!["models"]![0]!["id"]!.GetValue<string>());
        var reloaded = ModelCatalog.Load(files.Write("roundtrip.json", run.Output));
        Assert.Equal(ModelCatalog.LoadDefault().ToJson(), reloaded.ToJson());
    }

    [Fact]
    public void Models_from_the_catalog_path_are_listed_too()
    {
        var catalog = files.Write("extra.json", """{"models": [ {"id": "seedance-2.0", "description": "Seedance 2.0", "image": {"formats": ["png"]}} ] }""");

        var run = Run(ModelsCommand.Create(Environment(("StartFrame__CatalogPath", catalog))), "models");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("seedance-2.0 - Seedance 2.0", run.OutputLines);
    }

    [Fact]
    public void A_missing_catalog_file_exits_1()
    {
        var run = Run(ModelsCommand.Create(Environment(("StartFrame__CatalogPath", Path.Combine(files.Path, "none.json")))), "models");
        Assert.Equal((1, ""), (run.ExitCode, run.Output));
        Assert.Contains("none.json", run.Error, StringComparison.Ordinal);
    }
}
