using Microsoft.Extensions.Logging.Abstractions;
using RomanaAws.Controller.Reconcile;
using RomanaAws.Core.Persistence;
using RomanaAws.Tests.Shared;

namespace RomanaAws.Controller.Tests.Reconcile;

/// <summary>
/// The shipped 3-zone world copied once from the simulator into an in-memory <see cref="FakeEc2"/> (call log, hooks to
/// hold or watch each call), with the shipped topology and settings and a state store that counts saves.
/// </summary>
internal sealed class FakeWorld : IAsyncDisposable
{
    public const string Vpc = "vpc-0a0a0a0a0a0a0a0a0";

    private FakeWorld(ControllerFixture fixture, FakeEc2 ec2)
    {
        Fixture = fixture;
        Ec2 = ec2;
        Store = new TestStore(new FileIpamStateStore(fixture.StatePath));
    }

    public ControllerFixture Fixture { get; }

    public FakeEc2 Ec2 { get; }

    public TestStore Store { get; }

    /// <summary>Mutating calls the fake was asked to make (whatever it answered).</summary>
    public int MutatingCalls => Ec2.Calls.Count(c => c.IsMutating);

    public static async Task<FakeWorld> StartAsync()
    {
        var fixture = await ControllerFixture.StartAsync();
        var instances = await fixture.Api.DescribeClusterInstancesAsync(fixture.Topology.Cluster, CancellationToken.None);
        var tables = await fixture.Api.DescribeRouteTablesAsync(Vpc, CancellationToken.None);
        return new FakeWorld(fixture, new FakeEc2(instances, tables));
    }

    public Reconciler Reconciler(ReconcilerDependencies? dependencies = null) =>
        new(Ec2, Fixture.Topology, Fixture.Settings, Store, TimeProvider.System, NullLoggerFactory.Instance, dependencies);

    public ValueTask DisposeAsync() => Fixture.DisposeAsync();
}
