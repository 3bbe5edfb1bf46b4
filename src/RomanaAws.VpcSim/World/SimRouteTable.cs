namespace RomanaAws.VpcSim.World;

internal sealed class SimRouteTable(string id, string vpcId)
{
    public string Id { get; } = id;

    public string VpcId { get; } = vpcId;

    public List<SimAssociation> Associations { get; } = [];

    public List<SimRoute> Routes { get; } = [];

    public SimTags Tags { get; } = new();

    public bool IsMain => Associations.Any(a => a.Main);

    /// <summary>Set from the scenario; null means the simulator's global limit.</summary>
    public int? RouteLimit { get; set; }

    /// <summary>The route for a destination, compared as networks (10.0.0.0/8 and 010.0.0.0/8 spell one route).</summary>
    public SimRoute? Find(string destination) =>
        IpMath.TryParseCidr(destination, out var wanted)
            ? Routes.FirstOrDefault(r => IpMath.TryParseCidr(r.DestinationCidrBlock, out var have) && have.Equals(wanted))
            : Routes.FirstOrDefault(r => r.DestinationCidrBlock == destination);
}

internal sealed record SimAssociation(string Id, string? SubnetId, bool Main);
