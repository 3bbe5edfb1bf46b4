namespace RomanaAws.Core.Routing;

/// <summary>A VPC route table as described: its routes, its explicit subnet associations, whether it is the VPC's main table.</summary>
public sealed record RouteTableSnapshot(
    string RouteTableId,
    string VpcId,
    bool IsMain,
    IReadOnlyList<string> Subnets,
    IReadOnlyList<RouteEntry> Routes,
    IReadOnlyDictionary<string, string> Tags);
