using RomanaAws.Tests.Shared;
using Xunit.Abstractions;

namespace RomanaAws.Etcd.Tests;

/// <summary>A test class with its own real 3-member etcd; skips (with a reason) where etcd is missing, fails so under CI=true.</summary>
public abstract class EtcdTest(ITestOutputHelper output) : IAsyncLifetime
{
    protected ITestOutputHelper Output => output;

    /// <summary>Null when etcd is not installed here (the test returns early).</summary>
    internal EtcdCluster? Cluster { get; private set; }

    public async Task InitializeAsync()
    {
        if (EtcdCluster.Missing() is { } missing)
        {
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true", $"CI=true but etcd cannot run: {missing}");
            output.WriteLine($"skipped: {missing}");
            return;
        }

        Cluster = await EtcdCluster.StartAsync(3);
    }

    public async Task DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }
    }
}
