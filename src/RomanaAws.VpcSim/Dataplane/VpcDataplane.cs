namespace RomanaAws.VpcSim.Dataplane;

/// <summary>
/// What a packet in the simulated VPC would meet, as one consistent snapshot (<c>GET /_sim/dataplane</c>): the
/// subnets with the route table each one uses, every table's routes resolved to a next hop, and each instance's
/// interfaces and whether it is on the wire (running); <see cref="ChangedAt"/> is the time of the last write to the
/// world (null before any), from which the lab's VPC router measures how long it took to mirror a change.
/// </summary>
public sealed record VpcDataplane(string VpcCidr, IReadOnlyList<DataplaneSubnet> Subnets, IReadOnlyList<DataplaneTable> Tables, IReadOnlyList<DataplaneInstance> Instances, DateTimeOffset? ChangedAt = null);

/// <summary>A subnet and the id of its route table (its explicit association, else the VPC's main table).</summary>
public sealed record DataplaneSubnet(string Id, string Zone, string Cidr, string RouteTableId);

/// <summary>A route table and its routes.</summary>
public sealed record DataplaneTable(string Id, bool Main, IReadOnlyList<DataplaneRoute> Routes);

/// <summary>
/// One route: <see cref="Kind"/> is <c>local</c> (the VPC CIDR), <c>instance</c> (an instance or ENI target, active,
/// <see cref="NextHop"/> its private address), <c>blackhole</c> (EC2 reports the target gone or stopped), or
/// <c>external</c> (an internet/NAT/peering/transit gateway: nothing behind it exists in the lab).
/// </summary>
public sealed record DataplaneRoute(string Destination, string Kind, string? NextHop, string? TargetId);

/// <summary>An instance: its primary private IP, subnet, state, and whether source/destination check is off (it may forward).</summary>
public sealed record DataplaneInstance(string Id, string? Name, string SubnetId, string PrivateIp, string State, bool Forwards);
