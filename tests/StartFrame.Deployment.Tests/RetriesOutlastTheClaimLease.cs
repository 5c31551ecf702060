using StartFrame.Core;

namespace StartFrame.Deployment.Tests;

/// <summary>
/// A queue delivery that meets another run's live claim fails, so the host delivers it again later; those later
/// deliveries must reach past the claim's lease, or a claim left by a crashed run would never be looked at again.
/// The worst case is a message whose own second delivery meets the claim its crashed first delivery left: it has
/// <c>maxDequeueCount − 2</c> deliveries left, <c>visibilityTimeout</c> apart. (The blob trigger's internal queue
/// retries at once, whatever host.json says, so uploads get a re-check queued for the end of the lease instead.)
/// </summary>
public sealed class RetriesOutlastTheClaimLease
{
    [Fact]
    public void Queue_redeliveries_after_meeting_a_live_claim_outlast_every_configured_lease()
    {
        using var host = RepoFiles.Json("host.json");
        var queues = host.RootElement.GetProperty("extensions").GetProperty("queues");
        var maxDequeueCount = queues.GetProperty("maxDequeueCount").GetInt32();
        var visibility = TimeSpan.Parse(queues.GetProperty("visibilityTimeout").GetString()!, System.Globalization.CultureInfo.InvariantCulture);

        var leases = new List<(string Where, TimeSpan Lease)> { ("the code's default", new StartFrameOptions().ClaimLease) };
        if (RepoFiles.LocalSettingsValues().TryGetValue("StartFrame__ClaimLease", out var local))
        {
            leases.Add(("local.settings.sample.json", TimeSpan.Parse(local.GetString()!, System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (RepoFiles.DeployedAppSettings().TryGetValue("StartFrame__ClaimLease", out var azure))
        {
            leases.Add(("the deployed app settings", TimeSpan.Parse(azure, System.Globalization.CultureInfo.InvariantCulture)));
        }

        var reach = (maxDequeueCount - 2) * visibility;
        foreach (var (where, lease) in leases)
        {
            Assert.True(reach > lease,
                $"host.json retries a queue message {maxDequeueCount - 2} more times {visibility} apart ({reach} in all), no longer than the claim lease of {where} ({lease}).");
        }
    }
}
