using RomanaAws.Aws.Ec2;
using RomanaAws.Core.Routing;

namespace RomanaAws.Controller.Reconcile;

/// <summary>A create, replace or delete of the plan that EC2 refused.</summary>
public sealed record RouteWriteError(RouteOperation Operation, Ec2ErrorKind Kind, string Code, string Detail) : WriteError(Kind, Code, Detail)
{
    public RouteWriteError(RouteOperation operation, Ec2ApiException error)
        : this(operation, error?.Kind ?? Ec2ErrorKind.Other, error?.Code ?? "Unknown", error?.Message ?? string.Empty)
    {
    }

    public override string Message => $"{Operation.Kind} {Operation.RouteTableId} {Operation.Destination}: {Code}: {Detail}";
}
