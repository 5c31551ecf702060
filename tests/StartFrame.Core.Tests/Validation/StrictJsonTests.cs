using System.Text.Json;
using System.Text.Json.Nodes;
using StartFrame.Core.Validation;

namespace StartFrame.Core.Tests.Validation;

/// <summary>A name given twice is invalid JSON, wherever it is; a name that cannot be decoded is left to the text checks.</summary>
public sealed class StrictJsonTests
{
    [Theory]
    [InlineData("""{"a": 1, "a": 2}""")]
    [InlineData("""{"x": {"b": 1, "b": 2}}""")]
    [InlineData("""{"a": 1, "\u0061": 2}""")]
    [InlineData("""{"x": {"\uD800": 0}, "a": 1, "a": 2}""")] // the undecodable name comes first
    [InlineData("""{"\uD800": 0, "\uD800": 1}""")]
    public void A_name_given_twice_in_one_object_is_a_json_error(string json)
    {
        Assert.Throws<JsonException>(() => StrictJson.Parse(json));
        Assert.Throws<JsonException>(() => StrictJson.Parse(System.Text.Encoding.UTF8.GetBytes(json)));
    }

    [Theory]
    [InlineData("""{"a": {"b": 1}, "c": {"b": 2}}""")]
    [InlineData("""{"metadata": {"\uD800x": 1}, "prompt": "p"}""")]
    [InlineData("""[{"a": 1}, {"a": 2}]""")]
    public void The_same_name_in_different_objects_or_an_undecodable_name_parses(string json)
    {
        var node = StrictJson.Parse(json);

        Assert.NotNull(node);
        Touch(node); // materialising every object must not throw a duplicate-key ArgumentException
    }

    private static void Touch(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                List<JsonNode?> values;
                try
                {
                    values = [.. obj.Select(p => p.Value)];
                }
                catch (InvalidOperationException)
                {
                    return; // an undecodable name: the text checks' to report (invalid_encoding), not a duplicate
                }

                values.ForEach(Touch);
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Touch(item);
                }

                break;
        }
    }
}
