using RomanaAws.Aws.Ec2;

namespace RomanaAws.Controller.Reconcile;

/// <summary>Switching the source/destination check off on a host's primary ENI failed.</summary>
public sealed record SourceDestCheckError(string InstanceId, string NetworkInterfaceId, Ec2ErrorKind Kind, string Code, string Detail) : WriteError(Kind, Code, Detail)
{
    public SourceDestCheckError(string instanceId, string networkInterfaceId, Ec2ApiException error)
        : this(instanceId, networkInterfaceId, error?.Kind ?? Ec2ErrorKind.Other, error?.Code ?? "Unknown", error?.Message ?? string.Empty)
    {
    }

    public override string Message => $"ModifyNetworkInterfaceAttribute {InstanceId}/{NetworkInterfaceId}: {Code}: {Detail}";
}
