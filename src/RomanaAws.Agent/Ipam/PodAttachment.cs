using System.Net;
using RomanaAws.Core.Net;

namespace RomanaAws.Agent.Ipam;

/// <summary>
/// One pod address held on this node: the attachment, its owner, the block it came from, its network namespace path,
/// and the pod network the block is carved from (null: the default).
/// </summary>
public sealed record PodAttachment(AttachmentKey Key, IPAddress Address, Cidr Block, string Owner, string? Netns, string? Network = null)
{
    public AddressPool Pool => new(Owner, Network);
}
