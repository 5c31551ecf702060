using StartFrame.LocalDev;

namespace StartFrame.IntegrationTests.Infrastructure;

/// <summary>One Azurite for the whole assembly run: started from the repo's npm lock on free ports, stopped by pid.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteServer? _server;

    public AzuriteServer Server => _server ?? throw new InvalidOperationException("Azurite is not started.");

    public async Task InitializeAsync() => _server = await AzuriteServer.StartAsync(RepoLayout.Find());

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>Tests that share Azurite run one after another (they share its fixed container and queue names).</summary>
[CollectionDefinition(Name)]
public sealed class StorageCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "storage";
}
