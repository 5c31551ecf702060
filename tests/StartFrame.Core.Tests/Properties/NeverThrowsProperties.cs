using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using StartFrame.Core.Catalog;
using StartFrame.Core.Problems;
using StartFrame.Core.Tests.Images;
using StartFrame.Core.Tests.Validation;
using StartFrame.Core.Validation;

namespace StartFrame.Core.Tests.Properties;

/// <summary>
/// The validator and the image checks face untrusted bytes: whatever arrives, they answer with a result, never an
/// exception, and a valid result always yields a request that serializes.
/// </summary>
public sealed class NeverThrowsProperties
{
    private static readonly SidecarValidator Validator = new(ModelCatalog.LoadDefault());

    private static readonly string[] Names =
    [
        "model", "prompt", "stype", "duration", "resolution", "audio", "audio_type", "bgm", "off_peak", "is_rec", "seed",
        "metadata", "image", "images", "durration", "\\ud800", "", "é",
    ];

    private static readonly string[] Values =
    [
        "0", "1", "5", "5.0", "5.5", "10", "11", "-1", "99999999", "100000000", "1e400", "-0", "1e-400", "79228162514264337593543950336",
        "true", "false", "null", "\"general\"", "\"anime\"", "\"720p\"", "\"All\"", "\"\\ud800\"", "\"x\"", "\"viduq2-pro-fast\"",
        "\"seedance\"", "[]", "[1,{\"a\":null}]", "{}", "{\"seed\":1}", "{\"movement_amplitude\":\"auto\",\"k\":[1]}",
    ];

    [Property(MaxTest = 500)]
    public bool Validator_answers_arbitrary_bytes_with_a_result(byte[] bytes) => Consistent(Validator.Validate(bytes));

    [Property(MaxTest = 1000)]
    public Property Validator_answers_arbitrary_json_objects_with_a_consistent_result()
        => Prop.ForAll(SidecarObjects().ToArbitrary(), json => Consistent(Validator.Validate(Encoding.UTF8.GetBytes(json))));

    [Property(MaxTest = 1000)]
    public Property Validator_answers_mangled_sidecars_with_a_result()
        => Prop.ForAll(Mangled(SidecarObjects().Select(Encoding.UTF8.GetBytes)).ToArbitrary(), bytes => Consistent(Validator.Validate(bytes)));

    [Property(MaxTest = 500)]
    public bool Image_checks_answer_arbitrary_bytes_and_lengths(byte[] bytes, long length, bool named)
        => Consistent(ImageValidator.Validate(new ImageToCheck(bytes, length, named ? "frame.png" : null, "image/png"), Viduq2()));

    [Property(MaxTest = 1000)]
    public Property Image_checks_answer_mangled_real_headers_with_a_result()
    {
        var headers = Gen.Elements(
            TestImages.Png(300, 200), TestImages.Jpeg(300, 200, metadataBytes: 300), TestImages.WebPLossy(300, 200),
            TestImages.WebPLossless(300, 200), TestImages.WebPExtended(300, 200));
        var samples =
            from bytes in Mangled(headers)
            from length in Gen.Choose(-5, 60_000_000).Select(n => (long)n)
            from name in Gen.Elements("a.png", "a.JPG", "a.webp", "a", ".png", "a.gif", "dir/a.jpeg")
            from contentType in Gen.Elements<string?>(null, "", "image/png", "image/jpeg", "text/plain; x", ";")
            select new ImageToCheck(bytes, length, name, contentType);
        return Prop.ForAll(samples.ToArbitrary(), sample => Consistent(ImageValidator.Validate(sample, Viduq2())));
    }

    private static ImageRequirement Viduq2() => ModelCatalog.LoadDefault().Find("viduq2-pro-fast")!.Image;

    private static Gen<string> SidecarObjects()
    {
        var member =
            from name in Gen.Elements(Names)
            from value in Gen.Elements(Values)
            select $"\"{name}\": {value}";
        return Gen.ListOf(member).Select(members => "{" + string.Join(", ", members.Distinct()) + "}");
    }

    /// <summary>Truncates, flips bytes of and splices noise into otherwise meaningful input.</summary>
    private static Gen<byte[]> Mangled(Gen<byte[]> source)
        => from bytes in source
           from cut in Gen.Choose(0, 100)
           from flips in Gen.ListOf(Gen.Zip(Gen.Choose(0, 1 << 20), Gen.Choose(0, 255)))
           select Mangle(bytes, cut, flips);

    private static byte[] Mangle(byte[] bytes, int cutPercent, IEnumerable<(int Position, int Value)> flips)
    {
        var copy = bytes.ToArray();
        foreach (var (position, value) in flips)
        {
            if (copy.Length > 0)
            {
                copy[position % copy.Length] = (byte)value;
            }
        }
        return cutPercent >= 80 ? copy : copy[..(copy.Length * cutPercent / 80)];
    }

    private static bool Consistent(SidecarVerdict result)
    {
        Assert.Equal(result.IsValid, result.Errors.Count == 0);
        Assert.All(result.Errors, e => Assert.Contains(e.Code, ValidationCodes.All));
        if (result.IsValid)
        {
            // A valid result must always produce a request, and a body that round-trips as JSON.
            var body = result.ToRequestBody(Sidecars.ImageUrl).ToJsonString();
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(body), result.ToRequestBody(Sidecars.ImageUrl)));
        }
        return true;
    }

    private static bool Consistent(ImageInspection result)
    {
        Assert.Equal(result.IsValid, result.Errors.Count == 0);
        Assert.All(result.Errors, e => Assert.Contains(e.Code, ValidationCodes.All));
        Assert.Equal(result.Width is null, result.Height is null);
        return true;
    }
}
