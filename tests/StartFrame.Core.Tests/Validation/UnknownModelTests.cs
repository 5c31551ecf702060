using StartFrame.Core.Problems;
using StartFrame.Core.Validation;
using static StartFrame.Core.Tests.Validation.Sidecars;

namespace StartFrame.Core.Tests.Validation;

/// <summary>A model the catalog does not know: generic checks and pass-through, or rejection when strict.</summary>
public sealed class UnknownModelTests
{
    [Fact]
    public void An_unknown_model_passes_its_fields_through_unchanged()
    {
        var result = Validate("""{"model": "seedance-2.0", "duration": 42, "camera": {"pan": "left"}, "metadata": {"fps": 24}}""");

        AssertValid(result);
        Assert.False(result.IsKnownModel);
        AssertJsonEqual($$$"""
            {"model": "seedance-2.0", "images": ["{{{ImageUrl}}}"], "duration": 42, "camera": {"pan": "left"}, "metadata": {"fps": 24}}
            """, Body(result));
    }

    [Fact]
    public void An_unknown_model_still_gets_the_generic_checks()
    {
        var result = Validate("""{"model": "seedance-2.0", "prompt": 5, "metadata": "x", "images": []}""");
        Assert.Equal(
            [("prompt", ValidationCodes.WrongType), ("metadata", ValidationCodes.WrongType), ("images", ValidationCodes.Conflict)],
            result.Errors.Select(e => (e.Field, e.Code)));
    }

    [Fact]
    public void Strict_models_reject_an_unknown_model_listing_the_known_ones()
    {
        var error = SingleError(Validate("""{"model": "seedance-2.0"}""", new SidecarValidationOptions { StrictModels = true }));
        Assert.Equal(("model", ValidationCodes.UnknownModel), (error.Field, error.Code));
        Assert.Contains("known models: viduq2-pro-fast", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Strict_models_suggest_the_model_meant()
        => Assert.Contains("did you mean \"viduq2-pro-fast\"?",
            SingleError(Validate("""{"model": "viduq2-pro-fas"}""", new SidecarValidationOptions { StrictModels = true })).Message,
            StringComparison.Ordinal);

    [Fact]
    public void Strict_models_accept_a_known_model()
        => AssertValid(Validate("""{"model": "viduq2-pro-fast"}""", new SidecarValidationOptions { StrictModels = true }));
}
