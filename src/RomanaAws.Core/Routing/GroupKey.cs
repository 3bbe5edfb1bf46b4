namespace RomanaAws.Core.Routing;

/// <summary>A group, named by where it sits: network, zone, subnet, index.</summary>
public readonly record struct GroupKey(string Network, string Zone, string SubnetId, int Group)
{
    public override string ToString() => $"{Network}/{Zone}/{SubnetId}/{Group}";
}
