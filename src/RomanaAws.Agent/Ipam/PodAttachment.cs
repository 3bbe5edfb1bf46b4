using System.Net;
using RomanaAws.Core.Net;

namespace RomanaAws.Agent.Ipam;

/// <summary>One pod address held on this node: the attachment, its owner, the block it came from, and its network namespace path.</summary>
public sealed record PodAttachment(AttachmentKey Key, IPAddress Address, Cidr Block, string Owner, string? Netns);
