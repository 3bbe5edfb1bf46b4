using RomanaAws.Aws.Ec2;
using RomanaAws.Controller.Configuration;
using RomanaAws.Core.Routing;
using RomanaAws.Core.Topology;

namespace RomanaAws.Controller.Reconcile;

/// <summary>
/// Describes the cluster through the EC2 seam into a <see cref="ClusterView"/>: one paged DescribeInstances, the VPC
/// (<see cref="ManagedTables.Vpc"/>), one DescribeRouteTables of it. Thin: what to make of them is decided in Core.
/// The two calls are separate steps too, for the preflight, which records how each went. In routing modes bgp and ospf
/// nothing talks to EC2: the hosts are the configured ones and the Kubernetes Nodes in a rack (<see cref="RackInstances"/>), and there is no VPC and no table.
/// </summary>
public sealed class ClusterDiscovery(IEc2Api ec2, TopologyConfig topology, ControllerSettings settings)
{
    private bool Advertised => topology.Routing.Advertised;

    /// <param name="nodes">Routing modes bgp and ospf: the Kubernetes Nodes (name, InternalIP) that are hosts too.</param>
    public async Task<ClusterView> DiscoverAsync(DateTimeOffset takenAt, CancellationToken cancellationToken, IReadOnlyList<NamedHost>? nodes = null) =>
        Advertised ? RackInstances.View(topology.Routing, takenAt, nodes) : await TablesAsync(await InstancesAsync(cancellationToken), takenAt, cancellationToken);

    public Task<IReadOnlyList<InstanceSnapshot>> InstancesAsync(CancellationToken cancellationToken) =>
        ec2.DescribeClusterInstancesAsync(topology.Cluster, cancellationToken);

    /// <summary>The VPC to manage: controller.vpcId, else the VPC of most live cluster instances.</summary>
    public string? VpcOf(IReadOnlyList<InstanceSnapshot> instances) => ManagedTables.Vpc(settings.VpcId, instances);

    /// <summary>Describes the VPC's tables (none without a VPC) and selects the managed ones.</summary>
    public async Task<ClusterView> TablesAsync(IReadOnlyList<InstanceSnapshot> instances, DateTimeOffset takenAt, CancellationToken cancellationToken)
    {
        var vpc = VpcOf(instances);
        var tables = vpc is null ? [] : await ec2.DescribeRouteTablesAsync(vpc, cancellationToken);
        return ClusterView.Of(topology.Cluster, settings.VpcId, settings.RouteTables, instances, vpc, tables, takenAt);
    }
}
