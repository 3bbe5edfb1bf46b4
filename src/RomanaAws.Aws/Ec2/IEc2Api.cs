using RomanaAws.Core.Net;
using RomanaAws.Core.Routing;

namespace RomanaAws.Aws.Ec2;

/// <summary>
/// The narrow EC2 seam the controller uses: pagination, retries, pacing and error classification are hidden
/// behind it. Implemented over AWSSDK.EC2 (<see cref="Ec2Api"/>) and, for unit tests, by an in-memory fake.
/// Every action listed here is one the IAM policy must allow (see <see cref="Ec2Actions"/>).
/// </summary>
public interface IEc2Api
{
    /// <summary>Instances tagged for the cluster (<see cref="ClusterTags.MarksInstance"/>), all states.</summary>
    Task<IReadOnlyList<InstanceSnapshot>> DescribeClusterInstancesAsync(string clusterName, CancellationToken cancellationToken);

    /// <summary>Every route table of a VPC (one filtered call, paged).</summary>
    Task<IReadOnlyList<RouteTableSnapshot>> DescribeRouteTablesAsync(string vpcId, CancellationToken cancellationToken);

    /// <summary>EC2 state, status checks and scheduled events of the given instances (all states), 100 ids per call.</summary>
    Task<IReadOnlyList<InstanceStatusSnapshot>> DescribeInstanceStatusAsync(IReadOnlyList<string> instanceIds, CancellationToken cancellationToken);

    Task CreateRouteAsync(string routeTableId, Cidr destination, string networkInterfaceId, bool dryRun, CancellationToken cancellationToken);

    Task ReplaceRouteAsync(string routeTableId, Cidr destination, string networkInterfaceId, bool dryRun, CancellationToken cancellationToken);

    Task DeleteRouteAsync(string routeTableId, Cidr destination, bool dryRun, CancellationToken cancellationToken);

    /// <summary>Source/destination check off on an instance's primary ENI (ModifyNetworkInterfaceAttribute: works with several ENIs, unlike ModifyInstanceAttribute).</summary>
    Task DisableSourceDestCheckAsync(string networkInterfaceId, bool dryRun, CancellationToken cancellationToken);
}
