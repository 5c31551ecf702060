using Azure.Storage.Queues;
using StartFrame.IntegrationTests.Infrastructure;

namespace StartFrame.IntegrationTests.LocalDev;

/// <summary>Azurite as `startframe dev` runs it for hours: what it prints per request is work on its single JavaScript
/// thread and memory in this process, so it prints nothing per request and only its last lines are kept.</summary>
[Collection(StorageCollection.Name)]
public sealed class AzuriteServerTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Requests_leave_no_line_behind_only_the_start_up_lines_are_kept()
    {
        var before = azurite.Server.RecentOutput;
        var queue = new QueueClient(azurite.Server.ConnectionString, "azurite-output-probe");
        await queue.CreateIfNotExistsAsync();
        for (var i = 0; i < 50; i++)
        {
            await queue.SendMessageAsync("probe");
        }

        await queue.DeleteAsync();
        var after = azurite.Server.RecentOutput;

        Assert.Equal(before, after); // with the access log on, each of the 52 requests adds a line
        Assert.InRange(after.Count, 3, 20);
        Assert.Equal(3, after.Count(line => line.Contains("successfully listening", StringComparison.Ordinal)));
    }
}
