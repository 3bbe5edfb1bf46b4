using Amazon.Runtime;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RomanaAws.Aws.Ec2;
using RomanaAws.Core.Leadership;
using RomanaAws.Core.Net;
using RomanaAws.Tests.Shared;

namespace RomanaAws.Aws.Tests.Ec2;

/// <summary>
/// The EC2 client asks the write fence at the last moment before a mutating request leaves (after the pacer's wait),
/// so a leader whose lease ran out while it waited for its turn sends nothing: checked on the simulator's write log.
/// </summary>
public sealed class Ec2WriteFenceTests
{
    private const string Cluster = "demo.k8s.local";
    private const string TableA = "rtb-0a0a0a0a0a0a0a0a1";
    private const string NodeA1 = "i-0a000000000000002";

    [Fact]
    public async Task FenceClosedWhileTheCallWaitsForThePacer_NothingIsSent()
    {
        await using var scope = await SimulatorScope.StartAsync(change: s => s.Throttling.Enabled = false);
        var options = new AwsOptions { Region = "us-east-1", Ec2ServiceUrl = scope.Simulator.Endpoint, MaxRetries = 0, MutationsPerSecond = 2, MutationBurst = 1 };
        var fence = new SwitchFence();
        var time = new FakeTimeProvider(); // the pacer waits on this clock: the second call waits until the test moves it
        using var api = new Ec2Api(Ec2ClientFactory.Create(options, new BasicAWSCredentials(SimulatorScope.AccessKey, SimulatorScope.SecretKey)), options, time, NullLogger<Ec2Api>.Instance, fence);
        var eni = (await api.DescribeClusterInstancesAsync(Cluster, CancellationToken.None)).Single(i => i.InstanceId == NodeA1).PrimaryNetworkInterfaceId;
        scope.Simulator.Control.ResetWrites();

        await api.CreateRouteAsync(TableA, Cidr.Parse("100.96.0.0/15"), eni, false, CancellationToken.None); // takes the one token
        var second = api.CreateRouteAsync(TableA, Cidr.Parse("100.98.0.0/15"), eni, false, CancellationToken.None); // waits 500 ms of the clock for the next
        await Task.Delay(TimeSpan.FromMilliseconds(200), TimeProvider.System);
        Assert.False(second.IsCompleted);
        Assert.Single(scope.Simulator.Control.Writes);
        fence.Open = false;
        var patience = System.Diagnostics.Stopwatch.StartNew();
        while (!second.IsCompleted && patience.Elapsed < TimeSpan.FromSeconds(20))
        {
            time.Advance(TimeSpan.FromMilliseconds(100)); // the lease ran out during the wait; then the turn comes
            await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System);
        }

        await Assert.ThrowsAsync<NotLeaderException>(() => second);
        var write = Assert.Single(scope.Simulator.Control.Writes);
        Assert.Equal("100.96.0.0/15", write.Destination);
        Assert.Equal(1, fence.Refused);
    }

    [Fact]
    public async Task FenceClosed_NoMutatingCallIsSent_DescribesStillAre()
    {
        await using var scope = await SimulatorScope.StartAsync(change: s => s.Throttling.Enabled = false);
        var options = new AwsOptions { Region = "us-east-1", Ec2ServiceUrl = scope.Simulator.Endpoint, MaxRetries = 3 };
        var fence = new SwitchFence { Open = false };
        using var api = new Ec2Api(Ec2ClientFactory.Create(options, new BasicAWSCredentials(SimulatorScope.AccessKey, SimulatorScope.SecretKey)), options, TimeProvider.System, NullLogger<Ec2Api>.Instance, fence);
        var eni = (await api.DescribeClusterInstancesAsync(Cluster, CancellationToken.None)).Single(i => i.InstanceId == NodeA1).PrimaryNetworkInterfaceId;
        scope.Simulator.Control.ResetWrites();

        await Assert.ThrowsAsync<NotLeaderException>(() => api.CreateRouteAsync(TableA, Cidr.Parse("100.96.0.0/15"), eni, false, CancellationToken.None));
        await Assert.ThrowsAsync<NotLeaderException>(() => api.DeleteRouteAsync(TableA, Cidr.Parse("100.96.0.0/15"), false, CancellationToken.None));
        await Assert.ThrowsAsync<NotLeaderException>(() => api.DisableSourceDestCheckAsync(eni, false, CancellationToken.None));

        Assert.Empty(scope.Simulator.Control.Writes);
        Assert.Equal(3, fence.Refused); // once each: a refusal is not retried
    }

    /// <summary>A fence a test opens and closes.</summary>
    private sealed class SwitchFence : IWriteFence
    {
        private int _refused;
        private volatile bool _open = true;

        public bool Open
        {
            get => _open;
            set => _open = value;
        }

        public int Refused => Volatile.Read(ref _refused);

        public void EnsureMayWrite()
        {
            if (!_open)
            {
                Interlocked.Increment(ref _refused);
                throw new NotLeaderException("not written: the test closed the fence");
            }
        }

        public IWriteFence Pin() => this;
    }
}
