namespace RomanaAws.Agent.Ipam;

/// <summary>What CNI identifies an attachment by: the container and the interface name inside it (ADD is idempotent per key).</summary>
public readonly record struct AttachmentKey(string ContainerId, string IfName)
{
    public override string ToString() => $"{ContainerId}/{IfName}";
}
