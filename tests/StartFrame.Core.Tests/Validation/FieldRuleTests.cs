using StartFrame.Core.Catalog;
using StartFrame.Core.Problems;
using StartFrame.Core.Validation;
using static StartFrame.Core.Tests.Validation.Sidecars;

namespace StartFrame.Core.Tests.Validation;

/// <summary>Every viduq2-pro-fast field at its boundaries: one accepted and one rejected value on each side.</summary>
public sealed class FieldRuleTests
{
    [Theory]
    [InlineData("1")]
    [InlineData("10")]
    [InlineData("5")]
    [InlineData("5.0")]
    [InlineData("1e1")]
    public void Duration_within_1_to_10_whole_seconds_is_accepted(string duration)
        => AssertValid(Validate($$"""{"duration": {{duration}}}"""));

    [Theory]
    [InlineData("0", ValidationCodes.OutOfRange)]
    [InlineData("11", ValidationCodes.OutOfRange)]
    [InlineData("-1", ValidationCodes.OutOfRange)]
    [InlineData("10.5", ValidationCodes.OutOfRange)]
    [InlineData("5.5", ValidationCodes.NotAStep)]
    [InlineData("1.0000001", ValidationCodes.NotAStep)]
    [InlineData("1e400", ValidationCodes.OutOfRange)]
    [InlineData("\"5\"", ValidationCodes.WrongType)]
    [InlineData("null", ValidationCodes.WrongType)]
    [InlineData("[5]", ValidationCodes.WrongType)]
    public void Duration_outside_whole_1_to_10_is_rejected(string duration, string code)
        => AssertRejected(Validate($$"""{"duration": {{duration}}}"""), "duration", code);

    [Fact]
    public void Duration_error_names_the_range_step_and_the_value_given()
        => Assert.Equal("duration must be a whole number from 1 to 10 (step 1); got 5.5",
            SingleError(Validate("""{"duration": 5.5}""")).Message);

    [Theory]
    [InlineData("0")]
    [InlineData("99999999")]
    [InlineData("42")]
    public void Seed_from_0_to_99999999_is_accepted(string seed)
        => AssertValid(Validate($$"""{"seed": {{seed}}}"""));

    [Theory]
    [InlineData("-1", ValidationCodes.OutOfRange)]
    [InlineData("100000000", ValidationCodes.OutOfRange)]
    [InlineData("1.5", ValidationCodes.NotAStep)]
    [InlineData("\"0\"", ValidationCodes.WrongType)]
    public void Seed_outside_0_to_99999999_or_fractional_is_rejected(string seed, string code)
        => AssertRejected(Validate($$"""{"seed": {{seed}}}"""), "seed", code);

    [Fact]
    public void Seed_error_names_the_range()
        => Assert.Equal("seed must be a whole number from 0 to 99999999; got 100000000",
            SingleError(Validate("""{"seed": 100000000}""")).Message);

    [Theory]
    [InlineData("stype", "general")]
    [InlineData("stype", "anime")]
    [InlineData("resolution", "720p")]
    [InlineData("resolution", "1080p")]
    [InlineData("audio_type", "All")]
    [InlineData("audio_type", "Speech_only")]
    [InlineData("audio_type", "Sound-effect_only")]
    public void Each_allowed_enum_value_is_accepted(string field, string value)
        => AssertValid(Validate($$"""{"audio": true, "{{field}}": "{{value}}"}"""));

    [Theory]
    [InlineData("stype", "cartoon")]
    [InlineData("stype", "Anime")]
    [InlineData("resolution", "4k")]
    [InlineData("resolution", "1080P")]
    [InlineData("audio_type", "all")]
    [InlineData("audio_type", "Music")]
    [InlineData("stype", "")]
    public void Values_outside_an_enum_are_rejected_case_sensitively(string field, string value)
        => AssertRejected(Validate($$"""{"{{field}}": "{{value}}"}"""), field, ValidationCodes.NotAllowed);

    [Fact]
    public void Enum_error_lists_the_allowed_values_and_suggests_the_near_one()
        => Assert.Equal("""stype must be one of "general", "anime"; got "Anime"; did you mean "anime"?""",
            SingleError(Validate("""{"stype": "Anime"}""")).Message);

    [Theory]
    [InlineData("stype", "5")]
    [InlineData("resolution", "true")]
    [InlineData("audio_type", "{}")]
    public void Enum_fields_reject_non_strings(string field, string value)
        => AssertRejected(Validate($$"""{"{{field}}": {{value}}}"""), field, ValidationCodes.WrongType);

    [Theory]
    [InlineData("is_rec", "true")]
    [InlineData("is_rec", "false")]
    [InlineData("audio", "true")]
    [InlineData("audio", "false")]
    [InlineData("bgm", "true")]
    [InlineData("bgm", "false")]
    [InlineData("off_peak", "false")]
    public void Booleans_accept_true_and_false(string field, string value)
        => AssertValid(Validate($$"""{"{{field}}": {{value}}}"""));

    [Theory]
    [InlineData("is_rec", "\"true\"")]
    [InlineData("audio", "1")]
    [InlineData("bgm", "0")]
    [InlineData("off_peak", "\"false\"")]
    [InlineData("audio", "null")]
    public void Booleans_reject_strings_numbers_and_null(string field, string value)
        => AssertRejected(Validate($$"""{"{{field}}": {{value}}}"""), field, ValidationCodes.WrongType);

    [Fact]
    public void Boolean_type_error_says_what_was_given()
        => Assert.Equal("""audio must be true or false; got "true" (a string)""",
            SingleError(Validate("""{"audio": "true"}""")).Message);

    [Fact]
    public void Prompt_accepts_any_string_including_unicode()
        => AssertValid(Validate("""{"prompt": "宇航员挥手，镜头上移 🚀"}"""));

    [Fact]
    public void Prompt_rejects_a_number()
        => AssertRejected(Validate("""{"prompt": 42}"""), "prompt", ValidationCodes.WrongType);

    [Fact]
    public void Off_peak_without_audio_is_a_conflict_because_audio_defaults_to_off()
    {
        var error = SingleError(Validate("""{"off_peak": true}"""));
        Assert.Equal(("off_peak", ValidationCodes.Conflict), (error.Field, error.Code));
        Assert.Contains("audio", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Off_peak_with_audio_explicitly_off_is_a_conflict()
        => AssertRejected(Validate("""{"off_peak": true, "audio": false}"""), "off_peak", ValidationCodes.Conflict);

    [Fact]
    public void Off_peak_with_audio_on_is_accepted()
        => AssertValid(Validate("""{"off_peak": true, "audio": true}"""));

    [Fact]
    public void Off_peak_rule_is_not_repeated_when_audio_itself_is_wrong()
        => AssertRejected(Validate("""{"off_peak": true, "audio": "yes"}"""), "audio", ValidationCodes.WrongType);

    [Theory]
    [InlineData("10", true)]
    [InlineData("10.0", true)]
    [InlineData("9", false)]
    public void Catalog_rules_compare_numbers_by_value(string duration, bool conflict)
    {
        var catalog = ModelCatalog.From(ModelCatalog.Parse("""
            {"models": [ {"id": "m", "image": {"formats": ["png"]},
              "parameters": [ {"name": "duration", "type": "integer", "min": 1, "max": 10},
                              {"name": "resolution", "type": "string", "allowed": ["720p", "1080p"], "default": "1080p"} ],
              "rules": [ {"if": {"field": "duration", "equals": 10}, "then": {"field": "resolution", "equals": "720p"},
                          "message": "10 seconds only at 720p"} ] } ] }
            """u8, "test"));
        var result = new SidecarValidator(catalog, new SidecarValidationOptions { DefaultModel = "m" })
            .Validate(System.Text.Encoding.UTF8.GetBytes($$"""{"duration": {{duration}}}"""));

        Assert.Equal(conflict ? [("duration", ValidationCodes.Conflict)] : [], result.Errors.Select(e => (e.Field, e.Code)));
    }

    [Fact]
    public void Model_must_be_a_non_empty_string()
    {
        AssertRejected(Validate("""{"model": 7}"""), "model", ValidationCodes.WrongType);
        AssertRejected(Validate("""{"model": "  "}"""), "model", ValidationCodes.WrongType);
    }

    [Fact]
    public void Every_viduq2_field_at_once_is_accepted()
        => AssertValid(Validate("""
            {"model": "viduq2-pro-fast", "prompt": "The astronaut waved.", "stype": "anime", "duration": 10,
             "resolution": "1080p", "audio": true, "audio_type": "Speech_only", "bgm": true, "off_peak": true,
             "is_rec": false, "seed": 99999999}
            """));
}
