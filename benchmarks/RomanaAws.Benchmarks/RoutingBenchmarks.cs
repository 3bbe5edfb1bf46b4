using BenchmarkDotNet.Attributes;
using RomanaAws.Core.Ipam;
using RomanaAws.Core.Net;
using RomanaAws.Core.Routing;

namespace RomanaAws.Benchmarks;

/// <summary>Desired state + plan for 5,000 hosts, 3 zones, 20 route tables (target: under 50 ms).</summary>
[MemoryDiagnoser]
public class RoutingBenchmarks
{
    private IpamPlan _plan = null!;
    private ClusterSnapshot _snapshot = null!;
    private IReadOnlyList<RouteTableSnapshot> _converged = [];
    private IReadOnlyList<RouteTableSnapshot> _empty = [];
    private IReadOnlyList<InstanceSnapshot> _instances = [];
    private readonly IReadOnlyList<Cidr> _networks = ClusterScenario.Topology.Networks.Select(n => n.Cidr).ToList();
    private readonly PlannerLimits _limits = new(50, 5, 5);

    [GlobalSetup]
    public void Setup()
    {
        var ipam = ClusterScenario.PlaceHosts();
        _plan = ipam.Plan();
        _instances = RoutingScenario.Instances(ipam);
        var desired = DesiredState.Build(_plan, new ClusterSnapshot(_instances, [], DateTimeOffset.UnixEpoch), [], DesiredState.FromInstanceState);
        _converged = RoutingScenario.TablesFor(desired, converged: true);
        _empty = RoutingScenario.TablesFor(desired, converged: false);
        _snapshot = new ClusterSnapshot(_instances, _converged, DateTimeOffset.UnixEpoch);
    }

    [Benchmark(Description = "Desired + plan, 5,000 hosts, 20 tables, converged")]
    public ReconcilePlan Converged() => Plan(_converged);

    [Benchmark(Description = "Desired + plan, 5,000 hosts, 20 tables, from empty")]
    public ReconcilePlan FromEmpty() => Plan(_empty);

    private ReconcilePlan Plan(IReadOnlyList<RouteTableSnapshot> tables)
    {
        var desired = DesiredState.Build(_plan, _snapshot with { RouteTables = tables }, tables, DesiredState.FromInstanceState);
        return RoutePlanner.Plan(desired, tables, _networks, _limits, _instances);
    }
}
