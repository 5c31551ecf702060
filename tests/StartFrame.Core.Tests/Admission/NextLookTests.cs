using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ModelStream.Client;
using StartFrame.Core.Admission;

namespace StartFrame.Core.Tests.Admission;

/// <summary>
/// When a waiting upload looks again by itself: a slot given back wakes the front of the line (LineWaker), so the timed
/// look is a safety net, the same for every upload in line — the full delay plus jitter — and a Retry-After is honoured
/// as it is.
/// </summary>
public sealed class NextLookTests
{
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(16);

    [Fact]
    public void A_waiting_upload_looks_again_after_the_full_delay_and_up_to_half_of_it_more()
    {
        var waits = Enumerable.Range(0, 200).Select(_ => Slots(limit: 4).NextLook(null)).ToList();

        Assert.All(waits, wait => Assert.InRange(wait, Delay, Delay * 1.5));
        Assert.True(waits.Distinct().Count() > 1, "the looks of a folder of uploads are spread out, not at one instant");
    }

    [Fact]
    public void A_retry_after_is_waited_out()
    {
        var wait = Slots(limit: 4).NextLook(TimeSpan.FromSeconds(30));

        Assert.InRange(wait, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30) + (Delay / 2));
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
