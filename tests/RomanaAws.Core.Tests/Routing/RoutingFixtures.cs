using System.Net;
using RomanaAws.Core.Net;
using RomanaAws.Core.Routing;

namespace RomanaAws.Core.Tests.Routing;

/// <summary>Terse builders for route tables, routes and desired routes in planner tables.</summary>
internal static class RoutingFixtures
{
    public static readonly IReadOnlyList<Cidr> Networks = [Cidr.Parse("100.96.0.0/11")];

    public static readonly PlannerLimits Limits = new(50, 5, 5);

    public static RouteEntry Local() => new("172.20.0.0/16", RouteTargetKind.Local, "local", null, null, RouteState.Active, "CreateRouteTable");

    public static RouteEntry Nat() => new("0.0.0.0/0", RouteTargetKind.NatGateway, "nat-1", null, null, RouteState.Active, "CreateRoute");

    public static RouteEntry Peering(string destination = "10.50.0.0/16") => new(destination, RouteTargetKind.PeeringConnection, "pcx-1", null, null, RouteState.Active, "CreateRoute");

    /// <summary>A route to an instance's ENI (EC2 reports instance and ENI).</summary>
    public static RouteEntry ToEni(string destination, int host, RouteState state = RouteState.Active) =>
        new(destination, RouteTargetKind.NetworkInterface, null, $"i-{host}", Eni(host), state, "CreateRoute");

    public static string Eni(int host) => $"eni-{host}";

    public static RouteTarget Target(int host) => new($"i-{host}", Eni(host));

    public static RouteTableSnapshot Table(string id, params RouteEntry[] routes) =>
        new(id, "vpc-1", false, [], [Local(), .. routes], new Dictionary<string, string>());

    public static DesiredRoute Want(string destination, int? host, TargetChoice choice = TargetChoice.Kept) =>
        new(Cidr.Parse(destination), "pods", "us-east-1a", "subnet-1", 0, host is null ? null : Target(host.Value), choice, null);

    public static InstanceSnapshot Instance(int n, InstanceLifecycle state = InstanceLifecycle.Running, bool sourceDestCheck = false, string subnet = "subnet-1") =>
        new($"i-{n}", "us-east-1a", subnet, "vpc-1", new IPAddress([172, 20, 32, (byte)n]), state, Eni(n), 1, sourceDestCheck, new Dictionary<string, string>());
}
