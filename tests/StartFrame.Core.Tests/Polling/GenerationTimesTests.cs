using StartFrame.Core.Polling;

namespace StartFrame.Core.Tests.Polling;

/// <summary>What the generation times table keeps per shape: the moving mean, and keys the table accepts whatever the
/// model, duration and resolution say.</summary>
public sealed class GenerationTimesTests
{
    [Fact]
    public void The_first_task_of_a_shape_sets_its_time_and_later_ones_move_it_by_three_tenths_of_their_difference()
    {
        var first = GenerationTimes.Updated(null, TimeSpan.FromSeconds(20));
        var second = GenerationTimes.Updated(first, TimeSpan.FromSeconds(30));
        var broken = GenerationTimes.Updated(new GenerationTimes.Learned(double.NaN, 4), TimeSpan.FromSeconds(12));

        Assert.Equal(new GenerationTimes.Learned(20, 1), first);
        Assert.Equal(23, second.Seconds, precision: 9);
        Assert.Equal(2, second.Samples);
        Assert.Equal(new GenerationTimes.Learned(12, 1), broken);
    }

    [Theory]
    [InlineData(41)]
    [InlineData(9)]
    public void A_task_over_twice_or_under_half_the_mean_starts_the_mean_again_from_it(double seconds)
    {
        var changed = GenerationTimes.Updated(new GenerationTimes.Learned(20, 9), TimeSpan.FromSeconds(seconds));

        Assert.Equal(new GenerationTimes.Learned(seconds, 1), changed);
    }

    [Theory]
    [InlineData("viduq2-pro-fast", "5", "720p", "viduq2-pro-fast", "5|720p")]
    [InlineData("Kling-V3.0", "10", "", "kling-v3.0", "10|")]
    public void Plain_shapes_keep_readable_keys(string model, string duration, string resolution, string partitionKey, string rowKey)
    {
        Assert.Equal((partitionKey, rowKey), GenerationTimes.KeysOf(new VideoShape(model, duration, resolution)));
    }

    [Theory]
    [InlineData("a/b\\c#d?e", "5", "720p")]
    [InlineData("model", "{\"value\":5}", "1080p\n")]
    [InlineData("", "", "")]
    public void Any_other_shape_gets_keys_the_table_accepts(string model, string duration, string resolution)
    {
        var long1000 = new VideoShape(new string('m', 1000) + model, duration, resolution);

        foreach (var shape in new[] { new VideoShape(model, duration, resolution), long1000 })
        {
            var (partitionKey, rowKey) = GenerationTimes.KeysOf(shape);
            Assert.All([partitionKey, rowKey], key =>
            {
                Assert.InRange(key.Length, 1, GenerationTimes.MaxReadableKeyLength);
                Assert.True(key.AsSpan().IndexOfAny("/\\#?") < 0 && !key.Any(char.IsControl), key);
            });
        }

        Assert.NotEqual(GenerationTimes.KeysOf(long1000), GenerationTimes.KeysOf(long1000 with { Model = long1000.Model + "x" }));
    }
}
