using System.Net;
using System.Net.Sockets;
using RomanaAws.Aws.Ec2;
using RomanaAws.Core.Net;
using RomanaAws.Core.Routing;

namespace RomanaAws.Tests.Shared;

/// <summary>
/// An in-memory <see cref="IEc2Api"/> for fast unit tests of the reconcile logic, with a call log. It answers as the
/// simulator (and EC2) does, in the same order of checks: a missing table, an unknown network interface or one in another
/// VPC, an existing route (<c>RouteAlreadyExists</c>), a full table (<c>RouteLimitExceeded</c>), then DryRun; ReplaceRoute
/// of a missing route is <c>InvalidParameterValue</c> "There is no route defined", DeleteRoute of one
/// <c>InvalidRoute.NotFound</c>; a route to a network interface is blackhole unless its instance is pending, running or
/// stopping. Errors are <see cref="Ec2ApiException"/>s classified by <see cref="Ec2ErrorClassifier"/>, as the real seam's.
/// It knows instances' primary interfaces only (the controller targets nothing else). FakeEc2ParityTests (Aws.Tests)
/// runs the same calls against it and the simulator and compares what each reports.
/// </summary>
internal sealed class FakeEc2 : IEc2Api
{
    private readonly Lock _sync = new();
    private readonly List<InstanceSnapshot> _instances;
    private readonly Dictionary<string, (RouteTableSnapshot Table, List<RouteEntry> Routes, int Limit)> _tables;
    private readonly List<FakeEc2Call> _calls = [];

    public FakeEc2(IEnumerable<InstanceSnapshot> instances, IEnumerable<RouteTableSnapshot> tables, int routeLimit = 50, IReadOnlyDictionary<string, int>? tableLimits = null)
    {
        _instances = [.. instances];
        _tables = tables.ToDictionary(t => t.RouteTableId, t => (t, t.Routes.ToList(), tableLimits?.GetValueOrDefault(t.RouteTableId, routeLimit) ?? routeLimit), StringComparer.Ordinal);
    }

    /// <summary>Answers a call with this error code instead of carrying it out (null: carry it out). Called before any check.</summary>
    public Func<FakeEc2Call, string?>? Fault { get; set; }

    /// <summary>Called for every call before it is answered (a test can change the world, or a fence, mid-pass).</summary>
    public Action<FakeEc2Call>? BeforeCall { get; set; }

    /// <summary>Awaited for every call after <see cref="BeforeCall"/> (a test can hold a call, on a TaskCompletionSource, mid-pass).</summary>
    public Func<FakeEc2Call, Task>? BeforeCallAsync { get; set; }

    public IReadOnlyList<FakeEc2Call> Calls
    {
        get
        {
            lock (_sync)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>Mutating calls that changed the world.</summary>
    public int Writes => Calls.Count(c => c.Wrote);

    public void ClearCalls()
    {
        lock (_sync)
        {
            _calls.Clear();
        }
    }

    public void SetState(string instanceId, InstanceLifecycle state)
    {
        lock (_sync)
        {
            var index = _instances.FindIndex(i => i.InstanceId == instanceId);
            _instances[index] = _instances[index] with { State = state };
        }
    }

    /// <summary>The routes of a table as DescribeRouteTables would show them (no call logged).</summary>
    public IReadOnlyList<RouteEntry> Routes(string routeTableId)
    {
        lock (_sync)
        {
            return [.. _tables[routeTableId].Routes.Select(Current)];
        }
    }

    public Task<IReadOnlyList<InstanceSnapshot>> DescribeClusterInstancesAsync(string clusterName, CancellationToken cancellationToken) =>
        Answer(new FakeEc2Call("DescribeInstances"), () => (IReadOnlyList<InstanceSnapshot>)[.. _instances.Where(i => new ClusterTags(clusterName).MarksInstance(i.Tags))]);

    public Task<IReadOnlyList<RouteTableSnapshot>> DescribeRouteTablesAsync(string vpcId, CancellationToken cancellationToken) =>
        Answer(new FakeEc2Call("DescribeRouteTables"), () => (IReadOnlyList<RouteTableSnapshot>)[.. _tables.Values.Where(t => t.Table.VpcId == vpcId)
            .Select(t => t.Table with { Routes = [.. t.Routes.Select(Current)] })]);

    public Task<IReadOnlyList<InstanceStatusSnapshot>> DescribeInstanceStatusAsync(IReadOnlyList<string> instanceIds, CancellationToken cancellationToken) =>
        Answer(new FakeEc2Call("DescribeInstanceStatus"), () =>
        {
            var missing = instanceIds.FirstOrDefault(id => _instances.All(i => i.InstanceId != id));
            return missing is not null
                ? throw Error("DescribeInstanceStatus", "InvalidInstanceID.NotFound", $"The instance ID '{missing}' does not exist")
                : (IReadOnlyList<InstanceStatusSnapshot>)[.. _instances.Where(i => instanceIds.Contains(i.InstanceId)).Select(i => new InstanceStatusSnapshot(i.InstanceId, i.State, false, []))];
        });

    public Task CreateRouteAsync(string routeTableId, Cidr destination, string networkInterfaceId, bool dryRun, CancellationToken cancellationToken) =>
        Answer(new FakeEc2Call("CreateRoute", routeTableId, destination, networkInterfaceId, dryRun), () =>
        {
            var (table, routes, limit) = Table("CreateRoute", routeTableId, destination);
            var instance = Interface("CreateRoute", table, networkInterfaceId);
            if (routes.Any(r => r.DestinationCidr == destination))
            {
                throw Error("CreateRoute", "RouteAlreadyExists", $"The route identified by {destination} already exists.");
            }

            if (routes.Count >= limit)
            {
                throw Error("CreateRoute", "RouteLimitExceeded", "The maximum number of routes has been reached.");
            }

            DryRun("CreateRoute", dryRun);
            routes.Add(ToEni(destination.ToString(), instance, "CreateRoute"));
            return true;
        });

    public Task ReplaceRouteAsync(string routeTableId, Cidr destination, string networkInterfaceId, bool dryRun, CancellationToken cancellationToken) =>
        Answer(new FakeEc2Call("ReplaceRoute", routeTableId, destination, networkInterfaceId, dryRun), () =>
        {
            var (table, routes, _) = Table("ReplaceRoute", routeTableId, destination);
            var index = routes.FindIndex(r => r.DestinationCidr == destination);
            if (index < 0)
            {
                throw Error("ReplaceRoute", "InvalidParameterValue", $"Value ({destination}) for parameter destinationCidrBlock is invalid. There is no route defined for '{destination}' in the route table. Use CreateRoute instead.");
            }

            var instance = Interface("ReplaceRoute", table, networkInterfaceId);
            DryRun("ReplaceRoute", dryRun);
            routes[index] = ToEni(routes[index].Destination, instance, routes[index].Origin);
            return true;
        });

    public Task DeleteRouteAsync(string routeTableId, Cidr destination, bool dryRun, CancellationToken cancellationToken) =>
        Answer(new FakeEc2Call("DeleteRoute", routeTableId, destination, null, dryRun), () =>
        {
            var (_, routes, _) = Table("DeleteRoute", routeTableId, destination);
            var route = routes.FirstOrDefault(r => r.DestinationCidr == destination)
                ?? throw Error("DeleteRoute", "InvalidRoute.NotFound", $"no route with destination-cidr-block {destination} in route table {routeTableId}");
            if (route.Origin == "CreateRouteTable")
            {
                throw Error("DeleteRoute", "InvalidParameterValue", $"cannot remove local route {destination} in route table {routeTableId}");
            }

            DryRun("DeleteRoute", dryRun);
            routes.Remove(route);
            return true;
        });

    public Task DisableSourceDestCheckAsync(string networkInterfaceId, bool dryRun, CancellationToken cancellationToken) =>
        Answer(new FakeEc2Call("ModifyNetworkInterfaceAttribute", null, null, networkInterfaceId, dryRun), () =>
        {
            var index = _instances.FindIndex(i => i.PrimaryNetworkInterfaceId == networkInterfaceId);
            if (index < 0)
            {
                throw NoInterface("ModifyNetworkInterfaceAttribute", networkInterfaceId);
            }

            DryRun("ModifyNetworkInterfaceAttribute", dryRun);
            _instances[index] = _instances[index] with { SourceDestCheck = false };
            return true;
        });

    private async Task<T> Answer<T>(FakeEc2Call call, Func<T> handle)
    {
        await Task.Yield();
        BeforeCall?.Invoke(call);
        if (BeforeCallAsync is { } hold)
        {
            await hold(call);
        }

        lock (_sync)
        {
            try
            {
                if (Fault?.Invoke(call) is { } code)
                {
                    throw Error(call.Action, code, $"injected {code}");
                }

                var result = handle();
                _calls.Add(call);
                return result;
            }
            catch (Ec2ApiException ex)
            {
                _calls.Add(call with { Error = ex.Code });
                throw;
            }
        }
    }

    private (RouteTableSnapshot Table, List<RouteEntry> Routes, int Limit) Table(string action, string routeTableId, Cidr destination)
    {
        if (!_tables.TryGetValue(routeTableId, out var table))
        {
            throw Error(action, "InvalidRouteTableID.NotFound", $"The routeTable ID '{routeTableId}' does not exist");
        }

        return destination.Family == AddressFamily.InterNetwork
            ? table
            : throw Error(action, "InvalidParameterValue", $"Value ({destination}) for parameter destinationCidrBlock is invalid. This is not a valid IPv4 CIDR block.");
    }

    /// <summary>The instance whose primary interface is <paramref name="networkInterfaceId"/>, in the table's VPC.</summary>
    private InstanceSnapshot Interface(string action, RouteTableSnapshot table, string networkInterfaceId)
    {
        var instance = _instances.FirstOrDefault(i => i.PrimaryNetworkInterfaceId == networkInterfaceId) ?? throw NoInterface(action, networkInterfaceId);
        return instance.VpcId == table.VpcId
            ? instance
            : throw Error(action, "InvalidParameterValue", $"Route table {table.RouteTableId} and network interface {networkInterfaceId} belong to different networks.");
    }

    /// <summary>A route as described now: a route to a known instance's interface is active only while the instance can forward.</summary>
    private RouteEntry Current(RouteEntry route) =>
        route.NetworkInterfaceId is { } eni && _instances.FirstOrDefault(i => i.PrimaryNetworkInterfaceId == eni) is { } instance
            ? ToEni(route.Destination, instance, route.Origin)
            : route;

    private static RouteEntry ToEni(string destination, InstanceSnapshot instance, string origin) => new(
        destination, RouteTargetKind.NetworkInterface, instance.PrimaryNetworkInterfaceId, instance.InstanceId, instance.PrimaryNetworkInterfaceId,
        instance.State is InstanceLifecycle.Pending or InstanceLifecycle.Running or InstanceLifecycle.Stopping ? RouteState.Active : RouteState.Blackhole, origin);

    private static void DryRun(string action, bool dryRun)
    {
        if (dryRun)
        {
            throw Error(action, "DryRunOperation", "Request would have succeeded, but DryRun flag is set.", HttpStatusCode.PreconditionFailed);
        }
    }

    private static Ec2ApiException NoInterface(string action, string networkInterfaceId) =>
        Error(action, "InvalidNetworkInterfaceID.NotFound", $"The networkInterface ID '{networkInterfaceId}' does not exist");

    private static Ec2ApiException Error(string action, string code, string message, HttpStatusCode status = HttpStatusCode.BadRequest) =>
        new(action, Ec2ErrorClassifier.Classify(code, status, message), code, message, status);
}
