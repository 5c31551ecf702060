using System.Text;
using System.Text.Json.Nodes;
using StartFrame.Core.Problems;
using StartFrame.Core.Validation;
using static StartFrame.Core.Tests.Validation.Sidecars;

namespace StartFrame.Core.Tests.Validation;

/// <summary>The sidecar as a document: encoding, size, JSON syntax, shape, names.</summary>
public sealed class SidecarDocumentTests
{
    [Fact]
    public void A_utf8_byte_order_mark_is_accepted()
        => AssertValid(Validate([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("""{"duration": 5}""")]));

    [Fact]
    public void An_empty_object_is_valid_and_takes_every_default()
        => AssertValid(Validate("{}"));

    [Fact]
    public void A_sidecar_of_exactly_64_KiB_is_accepted()
    {
        var bytes = SidecarOfSize(SidecarValidator.MaxSidecarBytes);
        Assert.Equal(65_536, bytes.Length);
        AssertValid(Validate(bytes));
    }

    [Fact]
    public void A_sidecar_one_byte_over_64_KiB_is_too_large()
    {
        var error = SingleError(Validate(SidecarOfSize(SidecarValidator.MaxSidecarBytes + 1)));
        Assert.Equal((ValidationError.Document, ValidationCodes.TooLarge), (error.Field, error.Code));
        Assert.Contains("64 KiB limit (65,536 bytes)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"duration\": 5")]
    [InlineData("{duration: 5}")]
    [InlineData("{\"duration\": 5,}")]
    [InlineData("{\"a\": 1} // note")]
    [InlineData("   ")]
    [InlineData("")]
    public void Text_that_is_not_json_is_invalid_json(string text)
        => AssertRejected(Validate(text), ValidationError.Document, ValidationCodes.InvalidJson);

    [Fact]
    public void Invalid_json_message_says_where()
        => Assert.Contains("line 2", SingleError(Validate("{\n  \"duration\": 5,,\n}")).Message, StringComparison.Ordinal);

    [Fact]
    public void A_field_given_twice_is_invalid_json_rather_than_last_one_wins()
        => AssertRejected(Validate("""{"duration": 5, "duration": 11}"""), ValidationError.Document, ValidationCodes.InvalidJson);

    [Theory]
    [InlineData("[]", "an array")]
    [InlineData("\"hello\"", "a string")]
    [InlineData("42", "a number")]
    [InlineData("null", "null")]
    [InlineData("true", "a boolean")]
    public void Json_that_is_not_an_object_is_rejected_saying_what_it_is(string json, string what)
    {
        var error = SingleError(Validate(json));
        Assert.Equal((ValidationError.Document, ValidationCodes.NotAnObject), (error.Field, error.Code));
        Assert.EndsWith("got " + what, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Utf16_is_an_encoding_error()
        => AssertRejected(Validate(Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("{}")).ToArray()),
            ValidationError.Document, ValidationCodes.InvalidEncoding);

    [Fact]
    public void Broken_utf8_is_an_encoding_error_naming_the_offset()
    {
        var error = SingleError(Validate([.. Encoding.UTF8.GetBytes("{\"prompt\": \"caf"), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\"}")]));
        Assert.Equal(ValidationCodes.InvalidEncoding, error.Code);
        Assert.Contains("offset 15", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lone_surrogate_escape_is_an_encoding_error_not_a_crash()
        => AssertRejected(Validate("""{"prompt": "\ud800"}"""), ValidationError.Document, ValidationCodes.InvalidEncoding);

    [Fact]
    public void A_lone_surrogate_escape_in_a_field_name_is_an_encoding_error_not_a_crash()
        => AssertRejected(Validate("""{"\ud800": 1, "seed": 2}"""), ValidationError.Document, ValidationCodes.InvalidEncoding);

    [Fact]
    public void An_unknown_field_is_rejected_by_name()
    {
        var error = SingleError(Validate("""{"colour": "red"}"""));
        Assert.Equal(("colour", ValidationCodes.UnknownField), (error.Field, error.Code));
        Assert.StartsWith("\"colour\" is not a field of model viduq2-pro-fast", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("durration", "duration")]
    [InlineData("Duration", "duration")]
    [InlineData("offpeak", "off_peak")]
    [InlineData("meta_data", "metadata")]
    public void A_misspelt_field_is_rejected_with_a_suggestion(string typo, string meant)
    {
        var error = SingleError(Validate($$"""{"{{typo}}": 5}"""));
        Assert.Equal((typo, ValidationCodes.UnknownField), (error.Field, error.Code));
        Assert.Contains($"did you mean \"{meant}\"?", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"seed=1\"")]
    [InlineData("null")]
    public void Metadata_that_is_not_an_object_is_rejected(string metadata)
        => AssertRejected(Validate($$"""{"metadata": {{metadata}}}"""), "metadata", ValidationCodes.WrongType);

    [Fact]
    public void Metadata_key_owned_by_the_catalog_is_a_conflict()
    {
        var error = SingleError(Validate("""{"metadata": {"seed": 7}}"""));
        Assert.Equal(("metadata.seed", ValidationCodes.Conflict), (error.Field, error.Code));
        Assert.Contains("top level", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("image")]
    [InlineData("images")]
    public void The_sidecar_cannot_set_the_image_itself(string field)
        => AssertRejected(Validate($$"""{"{{field}}": "https://elsewhere/x.png"}"""), field, ValidationCodes.Conflict);

    [Fact]
    public void Every_error_is_collected_not_just_the_first()
    {
        var result = Validate("""
            {"duration": 11, "stype": "cartoon", "durration": 5, "metadata": [], "seed": 1.5, "audio": "yes", "off_peak": true}
            """);
        Assert.Equal(
            [
                ("duration", ValidationCodes.OutOfRange),
                ("stype", ValidationCodes.NotAllowed),
                ("durration", ValidationCodes.UnknownField),
                ("metadata", ValidationCodes.WrongType),
                ("seed", ValidationCodes.NotAStep),
                ("audio", ValidationCodes.WrongType),
            ],
            result.Errors.Select(e => (e.Field, e.Code)));
    }

    [Fact]
    public void Caller_fields_are_accepted_unchecked_and_never_sent()
    {
        var options = new SidecarValidationOptions { AdditionalAllowedFields = ["imageUrl", "correlationId", "idempotencyKey"] };
        var result = Validate("""{"imageUrl": "https://x/y.png", "correlationId": 42, "idempotencyKey": "k", "duration": 3}""", options);

        AssertValid(result);
        var body = Body(result).AsObject();
        Assert.DoesNotContain("imageUrl", body.Select(p => p.Key));
        Assert.DoesNotContain("correlationId", body.Select(p => p.Key));
        Assert.DoesNotContain("idempotencyKey", body.Select(p => p.Key));
    }

    [Fact]
    public void Caller_fields_are_unknown_when_not_declared()
        => AssertRejected(Validate("""{"imageUrl": "https://x/y.png"}"""), "imageUrl", ValidationCodes.UnknownField);

    [Fact]
    public void A_parsed_object_is_validated_by_the_same_rules_as_bytes()
    {
        var validator = new SidecarValidator(DefaultCatalog);
        var parsed = JsonNode.Parse("""{"duration": 11, "durration": 1}""")!.AsObject();

        var fromObject = validator.Validate(parsed);
        var fromBytes = validator.Validate(Encoding.UTF8.GetBytes(parsed.ToJsonString()));

        Assert.Equal(fromBytes.Errors, fromObject.Errors);
        Assert.Equal(2, fromObject.Errors.Count);
    }

    [Fact]
    public void A_null_object_is_not_an_object()
        => AssertRejected(new SidecarValidator(DefaultCatalog).Validate((JsonObject?)null), ValidationError.Document, ValidationCodes.NotAnObject);

    [Fact]
    public void A_hand_built_object_holding_nan_is_rejected_not_thrown()
    {
        var result = new SidecarValidator(DefaultCatalog).Validate(new JsonObject { ["duration"] = double.NaN });
        Assert.Equal(ValidationCodes.InvalidJson, SingleError(result).Code);
    }

    private static byte[] SidecarOfSize(int size)
    {
        var frame = Encoding.UTF8.GetBytes("""{"prompt": ""}""");
        var padding = new string('a', size - frame.Length);
        return Encoding.UTF8.GetBytes($$"""{"prompt": "{{padding}}"}""");
    }
}
