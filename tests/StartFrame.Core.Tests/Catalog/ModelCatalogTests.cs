using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using StartFrame.Core.Catalog;
using StartFrame.Core.Problems;
using StartFrame.Core.Validation;

namespace StartFrame.Core.Tests.Catalog;

/// <summary>The catalog as data: the embedded viduq2-pro-fast entry, extension files, and loud failures for bad files.</summary>
public sealed class ModelCatalogTests : IDisposable
{
    private readonly List<string> _files = [];

    [Fact]
    public void The_embedded_catalog_describes_viduq2_pro_fast_as_the_api_documents_it()
    {
        var spec = ModelCatalog.LoadDefault().Find("viduq2-pro-fast");

        Assert.NotNull(spec);
        Assert.Equal(
            [
                "prompt string top -",
                "stype string top \"general\" [\"general\",\"anime\"]",
                "is_rec boolean top false",
                "resolution string metadata \"720p\" [\"720p\",\"1080p\"]",
                "duration integer top 5 1..10 step 1",
                "audio boolean top false",
                "audio_type string top \"All\" [\"All\",\"Speech_only\",\"Sound-effect_only\"]",
                "bgm boolean metadata false",
                "off_peak boolean top false",
                "seed integer metadata 0 0..99999999",
            ],
            spec.Parameters.Select(Describe));
        Assert.Equal([ImageFormat.Png, ImageFormat.Jpeg, ImageFormat.WebP], spec.Image.Formats);
        Assert.Equal((new AspectRatio(1, 4), new AspectRatio(4, 1), 50_000_000L),
            (spec.Image.MinAspectRatio, spec.Image.MaxAspectRatio, spec.Image.MaxBytes));
        var rule = Assert.Single(spec.Rules);
        Assert.Equal(("off_peak", "true", "audio", "true"),
            (rule.If.Field, rule.If.Value.GetRawText(), rule.Then.Field, rule.Then.Value.GetRawText()));
    }

    [Fact]
    public void No_extra_file_means_the_embedded_catalog()
    {
        Assert.Same(ModelCatalog.LoadDefault(), ModelCatalog.Load(null));
        Assert.Same(ModelCatalog.LoadDefault(), ModelCatalog.Load(""));
    }

    [Fact]
    public void An_extension_file_adds_a_model_and_replaces_one_by_id()
    {
        var path = WriteFile("""
            {
              "models": [
                {
                  "id": "seedance-2.0",
                  "image": { "formats": ["png", "jpeg"] },
                  "parameters": [ { "name": "duration", "type": "integer", "min": 5, "max": 10, "step": 5, "default": 5 } ]
                },
                {
                  "id": "VIDUQ2-PRO-FAST",
                  "image": { "formats": ["png"] },
                  "parameters": [ { "name": "prompt", "type": "string", "required": true } ]
                }
              ]
            }
            """);

        var catalog = ModelCatalog.Load(path);

        Assert.Equal(["VIDUQ2-PRO-FAST", "seedance-2.0"], catalog.Models.Select(m => m.Id));
        Assert.Equal(["prompt"], catalog.Find("viduq2-pro-fast")!.Parameters.Select(p => p.Name));
        var validator = new SidecarValidator(catalog, new SidecarValidationOptions { StrictModels = true });
        Assert.Equal(ValidationCodes.NotAStep, Assert.Single(validator.Validate("""{"model": "seedance-2.0", "duration": 7}"""u8).Errors).Code);
        Assert.Equal(ValidationCodes.MissingRequired, Assert.Single(validator.Validate("""{"model": "viduq2-pro-fast"}"""u8).Errors).Code);
    }

    [Fact]
    public void The_catalog_written_as_json_loads_back_as_the_same_catalog()
    {
        var original = ModelCatalog.LoadDefault();
        var reloaded = ModelCatalog.Load(WriteFile(original.ToJson()));

        Assert.Equal(original.ToJson(), reloaded.ToJson());
        Assert.Equal(original.Models.Select(m => m.Id), reloaded.Models.Select(m => m.Id));
    }

    [Fact]
    public void A_missing_file_names_the_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"startframe-missing-{Guid.NewGuid():N}.json");
        var ex = Assert.Throws<ModelCatalogException>(() => ModelCatalog.Load(path));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_json_is_rejected_naming_the_file_path_and_line()
    {
        var path = WriteFile("""
            {
              "models": [
                { "id": "x" "image": {"formats": ["png"]} }
              ]
            }
            """);
        var ex = Assert.Throws<ModelCatalogException>(() => ModelCatalog.Load(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("$.models[0]", ex.JsonPath, StringComparison.Ordinal);
        Assert.Contains("line 3", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"models": [ { "id": "x", "image": {"formats": ["png"]}, "parameters": [ {"name": "a", "type": "text"} ] } ] }""", "$.models[0].parameters[0].type", null)]
    [InlineData("""{"models": [ { "id": "x", "image": {"formats": ["png"]}, "parameters": [ {"name": "a", "type": "string", "defualt": "b"} ] } ] }""", "$.models[0].parameters[0].defualt", null)]
    [InlineData("""{"models": [ { "id": "x", "image": {"formats": ["png"]}, "parameters": [ {"type": "string"} ] } ] }""", "$.models[0].parameters[0]", "name")]
    [InlineData("""{"models": [ { "id": "x", "image": {"formats": ["gif"]} } ] }""", "$.models[0].image.formats[0]", null)]
    [InlineData("""{"models": [ { "id": "x", "image": {"formats": ["png"], "minAspectRatio": "1/4"} } ] }""", "$.models[0].image.minAspectRatio", "1:4")]
    [InlineData("""{"models": [ { "id": "x" } ] }""", "$.models[0]", "image")]
    [InlineData("""{"models": [ { "id": "x", "image": {"formats": null} } ] }""", "$.models[0].image.formats", null)]
    [InlineData("""{"models": [ { "id": "x", "image": null } ] }""", "$.models[0].image", null)]
    [InlineData("""{"models": [ null ] }""", "$.models[0]", "null")]
    [InlineData("""{"models": [ { "id": "x", "image": {"formats": ["png"]}, "parameters": [ null ] } ] }""", "$.models[0].parameters[0]", "null")]
    [InlineData("""{"models": [ { "id": "x", "image": {"formats": ["png"]}, "rules": [ null ] } ] }""", "$.models[0].rules[0]", "null")]
    [InlineData("""{"models": [ { "id": "x", "image": {"formats": ["png"]}, "parameters": [ {"name": null, "type": "string"} ] } ] }""", "$.models[0].parameters[0].name", null)]
    public void A_file_that_does_not_fit_the_catalog_shape_is_rejected_naming_the_file_and_json_path(string json, string jsonPath, string? alsoMentions)
    {
        var path = WriteFile(json);
        var ex = Assert.Throws<ModelCatalogException>(() => ModelCatalog.Load(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Equal(jsonPath, ex.JsonPath);
        Assert.Contains(jsonPath, ex.Message, StringComparison.Ordinal);
        if (alsoMentions is not null)
        {
            Assert.Contains(alsoMentions, ex.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("""{"name": "d", "type": "integer", "min": 1, "max": 10, "default": 11}""", "$.models[0].parameters[0].default", "from 1 to 10")]
    [InlineData("""{"name": "s", "type": "string", "allowed": ["a", "b"], "default": "c"}""", "$.models[0].parameters[0].default", "\"a\", \"b\"")]
    [InlineData("""{"name": "s", "type": "string", "allowed": ["a", 5]}""", "$.models[0].parameters[0].allowed[1]", "must be a string")]
    [InlineData("""{"name": "b", "type": "boolean", "min": 0}""", "$.models[0].parameters[0]", "number and integer")]
    [InlineData("""{"name": "n", "type": "number", "min": 5, "max": 1}""", "$.models[0].parameters[0]", "min is greater than max")]
    [InlineData("""{"name": "n", "type": "number", "step": 0}""", "$.models[0].parameters[0].step", "positive")]
    [InlineData("""{"name": "metadata", "type": "string"}""", "$.models[0].parameters[0].name", "reserved")]
    [InlineData("""{"name": "images", "type": "string"}""", "$.models[0].parameters[0].name", "reserved")]
    [InlineData("""{"name": "slow", "type": "string", "offPeak": true}""", "$.models[0].parameters[0].offPeak", "boolean")]
    public void A_parameter_that_contradicts_itself_is_rejected_at_load(string parameter, string jsonPath, string alsoMentions)
    {
        var path = WriteFile($$"""{"models": [ { "id": "x", "image": {"formats": ["png"]}, "parameters": [ {{parameter}} ] } ] }""");
        var ex = Assert.Throws<ModelCatalogException>(() => ModelCatalog.Load(path));

        Assert.Equal(jsonPath, ex.JsonPath);
        Assert.Contains(alsoMentions, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_catalog_names_the_default_model_and_an_extension_file_may_change_it()
    {
        Assert.Equal("viduq2-pro-fast", ModelCatalog.LoadDefault().DefaultModel);

        var path = WriteFile("""{"defaultModel": "seedance-2.0", "models": [ { "id": "seedance-2.0", "image": {"formats": ["png"]}, "parameters": [] } ] }""");
        var extended = ModelCatalog.Load(path);
        Assert.Equal("seedance-2.0", extended.DefaultModel);

        // A sidecar that names no model gets the catalog's default unless a default is configured.
        var verdict = new SidecarValidator(extended).Validate("{}"u8);
        Assert.Equal("seedance-2.0", verdict.Model);
        Assert.Equal("viduq2-pro-fast", new SidecarValidator(extended, new SidecarValidationOptions { DefaultModel = "viduq2-pro-fast" }).Validate("{}"u8).Model);
    }

    [Fact]
    public void A_default_model_the_catalog_does_not_hold_is_rejected_at_load_naming_the_models()
    {
        var path = WriteFile("""{"defaultModel": "no-such-model", "models": []}""");

        var ex = Assert.Throws<ModelCatalogException>(() => ModelCatalog.Load(path));

        Assert.Equal("$.defaultModel", ex.JsonPath);
        Assert.Contains("viduq2-pro-fast", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_off_peak_parameter_set_true_where_it_travels_makes_the_task_off_peak()
    {
        var catalog = ModelCatalog.LoadDefault();

        Assert.True(catalog.IsOffPeak("viduq2-pro-fast", new JsonObject { ["off_peak"] = true }, null));
        Assert.False(catalog.IsOffPeak("viduq2-pro-fast", new JsonObject { ["off_peak"] = false }, null));
        Assert.False(catalog.IsOffPeak("viduq2-pro-fast", null, new JsonObject { ["off_peak"] = true })); // it travels top-level
        Assert.True(catalog.IsOffPeak("not-in-the-catalog", new JsonObject { ["off_peak"] = true }, null)); // ModelStream's own switch
        Assert.False(catalog.IsOffPeak("not-in-the-catalog", new JsonObject { ["off_peak"] = false }, null));
    }

    [Fact]
    public void A_rule_naming_an_unknown_field_is_rejected_at_load()
    {
        var path = WriteFile("""
            {"models": [ { "id": "x", "image": {"formats": ["png"]},
              "parameters": [ {"name": "a", "type": "boolean"} ],
              "rules": [ {"if": {"field": "a", "equals": true}, "then": {"field": "b", "equals": true}, "message": "m"} ] } ] }
            """);
        var ex = Assert.Throws<ModelCatalogException>(() => ModelCatalog.Load(path));
        Assert.Equal("$.models[0].rules[0].then.field", ex.JsonPath);
    }

    [Fact]
    public void A_model_defined_twice_in_one_file_is_rejected()
    {
        var path = WriteFile("""{"models": [ {"id": "x", "image": {"formats": ["png"]}}, {"id": "X", "image": {"formats": ["png"]}} ] }""");
        Assert.Equal("$.models[1].id", Assert.Throws<ModelCatalogException>(() => ModelCatalog.Load(path)).JsonPath);
    }

    [Fact]
    public void Aspect_bounds_in_the_wrong_order_are_rejected()
    {
        var path = WriteFile("""{"models": [ {"id": "x", "image": {"formats": ["png"], "minAspectRatio": "4:1", "maxAspectRatio": "1:4"}} ] }""");
        Assert.Equal("$.models[0].image", Assert.Throws<ModelCatalogException>(() => ModelCatalog.Load(path)).JsonPath);
    }

    public void Dispose()
    {
        foreach (var file in _files)
        {
            File.Delete(file);
        }
    }

    private string WriteFile(string json)
    {
        var path = Path.Combine(Path.GetTempPath(), $"startframe-catalog-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json, new UTF8Encoding(false));
        _files.Add(path);
        return path;
    }

    private static string Describe(ParameterSpec p)
    {
        var type = JsonSerializer.Serialize(p.Type, CatalogJsonContext.Default.ParameterType).Trim('"');
        var location = p.Location == WireLocation.Metadata ? "metadata" : "top";
        var defaultValue = p.Default?.GetRawText() ?? "-";
        var allowed = p.Allowed is { } values ? " [" + string.Join(",", values.Select(v => v.GetRawText())) + "]" : string.Empty;
        var range = p.Min is not null || p.Max is not null ? $" {p.Min}..{p.Max}" : string.Empty;
        var step = p.Step is { } s ? $" step {s}" : string.Empty;
        return $"{p.Name} {type} {location} {defaultValue}{allowed}{range}{step}";
    }
}
