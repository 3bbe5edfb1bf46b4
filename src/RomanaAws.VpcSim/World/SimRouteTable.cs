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

    public SimRoute? Find(string destination) => Routes.FirstOrDefault(r => r.DestinationCidrBlock == destination);
}

internal sealed record SimAssociation(string Id, string? SubnetId, bool Main);
