using StartFrame.Core.Validation;
using static StartFrame.Core.Tests.Validation.Sidecars;

namespace StartFrame.Core.Tests.Validation;

/// <summary>What a valid sidecar becomes on the wire: catalog locations, explicit defaults, user metadata.</summary>
public sealed class WireMappingTests
{
    [Fact]
    public void An_empty_sidecar_sends_every_default_explicitly_with_seed_resolution_and_bgm_inside_metadata()
        => AssertJsonEqual($$"""
            {
              "model": "viduq2-pro-fast",
              "images": ["{{ImageUrl}}"],
              "stype": "general",
              "is_rec": false,
              "duration": 5,
              "audio": false,
              "audio_type": "All",
              "off_peak": false,
              "metadata": { "resolution": "720p", "bgm": false, "seed": 0 }
            }
            """, Body(Validate("{}")));

    [Fact]
    public void Given_values_replace_defaults_at_their_wire_location()
        => AssertJsonEqual($$"""
            {
              "model": "viduq2-pro-fast",
              "images": ["{{ImageUrl}}"],
              "prompt": "The astronaut waved and the camera moved up.",
              "stype": "anime",
              "is_rec": true,
              "duration": 10,
              "audio": true,
              "audio_type": "Speech_only",
              "off_peak": true,
              "metadata": { "resolution": "1080p", "bgm": true, "seed": 1234 }
            }
            """, Body(Validate("""
            {"prompt": "The astronaut waved and the camera moved up.", "stype": "anime", "is_rec": true, "duration": 10,
             "audio": true, "audio_type": "Speech_only", "off_peak": true, "resolution": "1080p", "bgm": true, "seed": 1234}
            """)));

    [Fact]
    public void Seed_resolution_and_bgm_never_travel_at_the_top_level()
    {
        var body = Body(Validate("""{"seed": 3, "resolution": "1080p", "bgm": true}""")).AsObject();
        Assert.DoesNotContain(body, p => p.Key is "seed" or "resolution" or "bgm");
        AssertJsonEqual("""{"resolution": "1080p", "bgm": true, "seed": 3}""", body["metadata"]);
    }

    [Fact]
    public void A_whole_number_written_with_a_fraction_is_sent_as_an_integer()
        => Assert.Equal("5", Body(Validate("""{"duration": 5.0}"""))["duration"]!.ToJsonString());

    [Fact]
    public void User_metadata_passes_through_beside_the_catalog_fields()
        => AssertJsonEqual("""{"resolution": "720p", "bgm": false, "seed": 0, "movement_amplitude": "auto", "nested": {"a": [1, 2]}}""",
            Body(Validate("""{"metadata": {"movement_amplitude": "auto", "nested": {"a": [1, 2]}}}"""))["metadata"]);

    [Fact]
    public void The_model_is_sent_as_the_catalog_spells_it()
    {
        var result = Validate("""{"model": "ViduQ2-Pro-Fast"}""");
        Assert.Equal("viduq2-pro-fast", result.Model);
        Assert.Equal("viduq2-pro-fast", result.ToRequest(ImageUrl).Model);
    }

    [Fact]
    public void The_image_url_travels_as_the_only_entry_of_images()
        => Assert.Equal([ImageUrl], Validate("{}").ToRequest(ImageUrl).Images);

    [Fact]
    public void Each_request_is_independent_of_the_previous_one()
    {
        var result = Validate("""{"metadata": {"x": 1}}""");
        var first = result.ToRequest(ImageUrl);
        first.Metadata!["x"] = 2;
        first.Fields!["duration"] = 9;

        var second = result.ToRequest(ImageUrl);
        Assert.Equal(1, second.Metadata!["x"]!.GetValue<int>());
        Assert.Equal(5, second.Fields!["duration"]!.GetValue<long>());
    }

    [Fact]
    public void An_invalid_result_has_no_request()
        => Assert.Throws<InvalidOperationException>(() => Validate("""{"duration": 0}""").ToRequest(ImageUrl));

    [Fact]
    public void A_model_override_wins_over_the_sidecar_and_the_default()
    {
        var options = new SidecarValidationOptions { ModelOverride = "kling-v3", DefaultModel = "viduq2-pro-fast" };
        var result = Validate("""{"model": "viduq2-pro-fast", "duration": 99}""", options);
        AssertValid(result);
        Assert.Equal("kling-v3", result.Model);
    }

    [Fact]
    public void Without_a_model_the_default_model_is_used()
        => Assert.Equal("viduq2-pro-fast", Validate("{}").Model);
}
