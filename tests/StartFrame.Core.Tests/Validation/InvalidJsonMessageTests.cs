using static StartFrame.Core.Tests.Validation.Sidecars;

namespace StartFrame.Core.Tests.Validation;

/// <summary>An <c>invalid_json</c> message says in plain words what is wrong and where, never the JSON reader's internals.</summary>
public sealed class InvalidJsonMessageTests
{
    [Theory]
    [InlineData("{\"duration\": 5,}", "a trailing comma before a closing bracket (remove it), at line 1, byte 16")]
    [InlineData("{\n  \"duration\": 5 // five\n}", "a comment (JSON has none; remove it), at line 2, byte 17")]
    [InlineData("{\"duration\": 5 \"audio\": true}", "a missing ',' between two values (or a missing closing bracket), at line 1, byte 16")]
    [InlineData("{duration: 5}", "a field name that is not in double quotes, at line 1, byte 2")]
    [InlineData("{\"stype\": 'anime'}", "text in single quotes (JSON text needs double quotes), at line 1, byte 11")]
    [InlineData("{\"prompt\": \"unclosed", "it ends too early (an unclosed text, {...} or [...]), at line 1, byte 21")]
    [InlineData("{\"audio\": tru}", "a misspelt true, false or null, at line 1, byte 14")]
    [InlineData("{\"duration\": 5}}", "more text after the end of the JSON value (remove it), at line 1, byte 16")]
    [InlineData("{\"duration\": 5, \"duration\": 6}", "the field \"duration\" is given twice (keep one)")]
    public void Says_what_is_wrong_and_where_in_plain_words(string sidecar, string expected)
    {
        var error = SingleError(Validate(sidecar));

        Assert.Equal("invalid_json", error.Code);
        Assert.Equal("the sidecar is not valid JSON: " + expected, error.Message);
    }

    [Theory]
    [InlineData("{\"a\": 1,}")]
    [InlineData("[1,]")]
    [InlineData("{\"a\": 1 /* c */}")]
    [InlineData("{\"a\": \"x\ty\"}")]
    [InlineData("{\"a\": \"\\q\"}")]
    [InlineData("{\"a\": [1}")]
    public void Never_quotes_the_readers_internals(string sidecar)
    {
        var message = SingleError(Validate(sidecar)).Message;

        Assert.DoesNotContain("reader options", message, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", message, StringComparison.Ordinal);
        Assert.DoesNotContain("BytePositionInLine", message, StringComparison.Ordinal);
        Assert.Contains("line 1", message, StringComparison.Ordinal);
    }
}
