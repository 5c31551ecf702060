using System.Text;
using System.Text.Json.Nodes;
using StartFrame.Core.Catalog;
using StartFrame.Core.Problems;
using StartFrame.Core.Validation;

namespace StartFrame.Core.Tests.Validation;

/// <summary>Shorthands that keep the tests about the rule, not the plumbing.</summary>
internal static class Sidecars
{
    public const string ImageUrl = "https://example.blob.core.windows.net/start-frames/frame.png?sas";

    public static ModelCatalog DefaultCatalog { get; } = ModelCatalog.LoadDefault();

    public static SidecarVerdict Validate(string json, SidecarValidationOptions? options = null, ImageToCheck? image = null)
        => new SidecarValidator(DefaultCatalog, options).Validate(Encoding.UTF8.GetBytes(json), image);

    public static SidecarVerdict Validate(byte[] bytes, SidecarValidationOptions? options = null)
        => new SidecarValidator(DefaultCatalog, options).Validate(bytes);

    public static ValidationError SingleError(SidecarVerdict result)
    {
        Assert.False(result.IsValid);
        return Assert.Single(result.Errors);
    }

    public static void AssertRejected(SidecarVerdict result, string field, string code)
    {
        var error = SingleError(result);
        Assert.Equal((field, code), (error.Field, error.Code));
    }

    public static void AssertValid(SidecarVerdict result)
        => Assert.True(result.IsValid, "expected valid, got: " + string.Join(" | ", result.Errors));

    /// <summary>The request body as it travels.</summary>
    public static JsonObject Body(SidecarVerdict result) => result.ToRequestBody(ImageUrl);

    public static void AssertJsonEqual(string expected, JsonNode? actual)
        => Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"expected {expected}\nactual   {actual?.ToJsonString()}");
}

