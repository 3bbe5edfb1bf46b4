namespace RomanaAws.Core.Routing;

/// <summary>A route target: the router host and its primary network interface (routes target the ENI, never the bare instance).</summary>
public sealed record RouteTarget(string InstanceId, string NetworkInterfaceId)
{
    public override string ToString() => $"{InstanceId}/{NetworkInterfaceId}";
}
