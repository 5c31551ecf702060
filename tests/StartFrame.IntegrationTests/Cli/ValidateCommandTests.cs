using System.Text.Json.Nodes;
using StartFrame.IntegrationTests.Infrastructure;
using static StartFrame.IntegrationTests.Cli.CliRunner;
using StartFrame.Cli.Commands.Submitting;

namespace StartFrame.IntegrationTests.Cli;

/// <summary><c>startframe validate</c>: the pipeline's validator offline, with exit codes scripts can rely on.</summary>
public sealed class ValidateCommandTests(ScratchDirectory files) : IClassFixture<ScratchDirectory>
{
    private static readonly Func<string, string?> NoEnvironment = Environment();

    [Fact]
    public void A_valid_sidecar_exits_0_and_summarises_the_request()
    {
        var sidecar = files.Write("ok.json", """{"prompt": "The astronaut waved.", "duration": 8, "resolution": "1080p"}""");

        var run = Run(ValidateCommand.Create(NoEnvironment), "validate", sidecar);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        Assert.Equal(
            [
                "valid: ok.json for model viduq2-pro-fast",
                "image: not checked (add --image <file> to check the start frame too)",
                "would POST /v1/video/generations:",
                "model=\"viduq2-pro-fast\" images=[\"<sas-url-of-image>\"] prompt=\"The astronaut waved.\" stype=\"general\" is_rec=false duration=8 audio=false audio_type=\"All\" off_peak=false",
                "metadata: resolution=\"1080p\" bgm=false seed=0",
            ],
            run.OutputLines);
    }

    [Fact]
    public void An_invalid_sidecar_exits_2_and_lists_every_error_with_its_code()
    {
        var sidecar = files.Write("bad.json", """{"duration": 5.5, "durration": 5, "off_peak": true}""");

        var run = Run(ValidateCommand.Create(NoEnvironment), "validate", sidecar);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("invalid: bad.json for model viduq2-pro-fast (3 errors)", run.OutputLines[0]);
        Assert.Equal("duration: duration must be a whole number from 1 to 10 (step 1); got 5.5 [not_a_step]", run.OutputLines[1]);
        Assert.StartsWith("durration: \"durration\" is not a field of model viduq2-pro-fast; did you mean \"duration\"?", run.OutputLines[2], StringComparison.Ordinal);
        Assert.EndsWith("[conflict]", run.OutputLines[3], StringComparison.Ordinal);
        Assert.DoesNotContain(run.OutputLines, l => l.StartsWith("would POST", StringComparison.Ordinal));
    }

    [Fact]
    public void Json_output_of_a_valid_sidecar_carries_the_exact_request_body_with_a_placeholder_url()
    {
        var sidecar = files.Write("json-ok.json", """{"model": "viduq2-pro-fast", "seed": 7, "metadata": {"movement_amplitude": "auto"}}""");

        var run = Run(ValidateCommand.Create(NoEnvironment), "validate", sidecar, "--json");

        Assert.Equal(0, run.ExitCode);
        var expected = JsonNode.Parse("""
            {
              "valid": true,
              "model": "viduq2-pro-fast",
              "errors": [],
              "request": {
                "model": "viduq2-pro-fast",
                "images": ["<sas-url-of-image>"],
                "stype": "general", "is_rec": false, "duration": 5, "audio": false, "audio_type": "All", "off_peak": false,
                "metadata": { "resolution": "720p", "bgm": false, "seed": 7, "movement_amplitude": "auto" }
              }
            }
            """);
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(run.Output)), run.Output);
        Assert.Contains("<sas-url-of-image>", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_output_of_an_invalid_sidecar_lists_field_code_and_message_and_no_request()
    {
        var sidecar = files.Write("json-bad.json", """{"stype": "cartoon"}""");

        var run = Run(ValidateCommand.Create(NoEnvironment), "validate", sidecar, "--json");

        Assert.Equal(2, run.ExitCode);
        var document = JsonNode.Parse(run.Output)!;
        Assert.False(document["valid"]!.GetValue<bool>());
        var error = Assert.Single(document["errors"]!.AsArray())!;
        Assert.Equal(("stype", "not_allowed", """stype must be one of "general", "anime"; got "cartoon" """.TrimEnd()),
            (error["field"]!.GetValue<string>(), error["code"]!.GetValue<string>(), error["message"]!.GetValue<string>()));
        Assert.Null(document["request"]);
    }

    [Fact]
    public void A_good_image_is_checked_from_the_file_and_reported()
    {
        var sidecar = files.Write("with-image.json", "{}");
        var image = files.Write("frame.png", TestImages.Png(640, 360));

        var run = Run(ValidateCommand.Create(NoEnvironment), "validate", sidecar, "--image", image);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("image: PNG 640x360, ", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_image_makes_a_valid_sidecar_exit_2_with_the_image_errors()
    {
        var sidecar = files.Write("narrow.json", "{}");
        var image = files.Write("narrow.jpg", TestImages.Png(100, 401));

        var run = Run(ValidateCommand.Create(NoEnvironment), "validate", sidecar, "--image", image, "--json");

        Assert.Equal(2, run.ExitCode);
        var codes = JsonNode.Parse(run.Output)!["errors"]!.AsArray().Select(e => (e!["field"]!.GetValue<string>(), e["code"]!.GetValue<string>()));
        Assert.Equal([("image", "format_mismatch"), ("image", "aspect_ratio")], codes);
    }

    [Fact]
    public void The_model_option_overrides_the_sidecar_model()
    {
        var sidecar = files.Write("override.json", """{"model": "viduq2-pro-fast", "duration": 99}""");

        var run = Run(ValidateCommand.Create(NoEnvironment), "validate", sidecar, "--model", "kling-v3", "--json");

        Assert.Equal(0, run.ExitCode);
        var request = JsonNode.Parse(run.Output)!["request"]!;
        Assert.Equal(("kling-v3", 99), (request["model"]!.GetValue<string>(), request["duration"]!.GetValue<int>()));
    }

    [Fact]
    public void An_unknown_model_is_noted_as_passed_through()
    {
        var sidecar = files.Write("unknown.json", """{"model": "veo-3.1", "aspect": "16:9"}""");

        var run = Run(ValidateCommand.Create(NoEnvironment), "validate", sidecar);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("note: model \"veo-3.1\" is not in the catalog", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Strict_models_from_the_environment_reject_an_unknown_model()
    {
        var sidecar = files.Write("strict.json", """{"model": "veo-3.1"}""");

        var run = Run(ValidateCommand.Create(Environment(("StartFrame__StrictModels", "true"))), "validate", sidecar);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("[unknown_model]", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("only generic checks ran", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Strict_models_reject_a_model_given_with_the_model_option_without_a_note_on_generic_checks()
    {
        var sidecar = files.Write("strict-override.json", """{"prompt": "x"}""");

        var run = Run(ValidateCommand.Create(Environment(("StartFrame__StrictModels", "true"))), "validate", sidecar, "--model", "x");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("[unknown_model]", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("only generic checks ran", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_catalog_file_from_the_environment_adds_models_to_validate_against()
    {
        var catalog = files.Write("extra-catalog.json", """
            {"models": [ {"id": "seedance-2.0", "image": {"formats": ["png"]},
              "parameters": [ {"name": "duration", "type": "integer", "min": 5, "max": 10, "step": 5} ] } ] }
            """);
        var sidecar = files.Write("seedance.json", """{"model": "seedance-2.0", "duration": 7}""");

        var run = Run(ValidateCommand.Create(Environment(("StartFrame__CatalogPath", catalog))), "validate", sidecar);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("duration: duration must be a whole number from 5 to 10 (step 5); got 7 [not_a_step]", run.OutputLines);
    }

    [Fact]
    public void A_broken_catalog_file_exits_1_naming_the_file()
    {
        var catalog = files.Write("broken-catalog.json", """{"models": [ {"id": "x"} ] }""");
        var sidecar = files.Write("any.json", "{}");

        var run = Run(ValidateCommand.Create(Environment(("StartFrame__CatalogPath", catalog))), "validate", sidecar);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(catalog, run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Output);
    }

    [Fact]
    public void A_missing_sidecar_file_exits_2_with_one_line_on_stderr()
    {
        var run = Run(ValidateCommand.Create(NoEnvironment), "validate", Path.Combine(files.Path, "nope.json"));

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Output);
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("nope.json", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_image_file_exits_2()
    {
        var sidecar = files.Write("image-missing.json", "{}");
        var run = Run(ValidateCommand.Create(NoEnvironment), "validate", sidecar, "--image", Path.Combine(files.Path, "nope.png"));
        Assert.Equal((2, ""), (run.ExitCode, run.Output));
    }

    [Fact]
    public async Task No_sidecar_argument_is_a_refused_command_line_exiting_2()
    {
        var run = await Infrastructure.CliProcess.RunAsync(new Dictionary<string, string?>(), "validate");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("startframe validate: <sidecar>", run.StandardError, StringComparison.Ordinal);
    }
}
