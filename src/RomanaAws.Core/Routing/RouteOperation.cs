using RomanaAws.Core.Net;

namespace RomanaAws.Core.Routing;

public enum RouteOperationKind
{
    Create,
    Replace,
    Delete,
}

/// <summary>One route write the controller will make.</summary>
public sealed record RouteOperation(RouteOperationKind Kind, string RouteTableId, Cidr Destination, RouteTarget? Target, string Reason)
{
    public override string ToString() => $"{Kind} {RouteTableId} {Destination}" + (Target is null ? string.Empty : $" → {Target}") + $" ({Reason})";
}
