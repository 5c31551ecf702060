using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ModelStream.Client;
using StartFrame.Core.Admission;

namespace StartFrame.Core.Tests.Admission;

/// <summary>
/// When a waiting upload looks again: the front of the line (the uploads that take the next slots to come free) looks
/// often, so a slot tracking gives back is taken within a second or two; the rest of a long line looks rarely, so it
/// costs little; a Retry-After is honoured as it is.
/// </summary>
public sealed class NextLookTests
{
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(16);

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    public void The_front_of_the_line_looks_eight_times_as_often(int ahead)
    {
        var wait = Slots(limit: 4).NextLook(null, ahead);

        Assert.InRange(wait, Delay / 8, Delay / 8 * 1.5);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(500)]
    [InlineData(null)]
    public void The_rest_of_the_line_looks_at_the_full_delay(int? ahead)
    {
        var wait = Slots(limit: 4).NextLook(null, ahead);

        Assert.InRange(wait, Delay, Delay * 1.5);
    }

    [Fact]
    public void A_retry_after_is_waited_out_wherever_the_upload_stands()
    {
        var wait = Slots(limit: 4).NextLook(TimeSpan.FromSeconds(30), ahead: 0);

        Assert.InRange(wait, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30) + (Delay / 8 / 2));
    }

    [Fact]
    public void The_front_looks_at_least_a_second_apart()
    {
        var wait = Slots(limit: 4, delay: TimeSpan.FromSeconds(2)).NextLook(null, ahead: 0);

        Assert.InRange(wait, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1.5));
    }

    private static ProviderSlots Slots(int limit, TimeSpan? delay = null)
    {
        var tables = new TableServiceClient("UseDevelopmentStorage=true"); // never called: NextLook reads no storage
        return new ProviderSlots(
            tables,
            Options.Create(new ModelStreamClientOptions { MaxConcurrentTasks = limit }),
            Options.Create(new StartFrameOptions { SlotRecheckDelay = delay ?? Delay }),
            new LearnedLimit(tables, TimeProvider.System, NullLogger<LearnedLimit>.Instance),
            TimeProvider.System,
            NullLogger<ProviderSlots>.Instance);
    }
}
