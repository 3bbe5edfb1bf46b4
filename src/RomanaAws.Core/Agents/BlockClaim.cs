using RomanaAws.Core.Net;

namespace RomanaAws.Core.Agents;

/// <summary>Answer of <c>POST /v1/agents/{instanceId}/blocks</c> (201): the block now held by the host for the owner.</summary>
public sealed record BlockClaim(Cidr Cidr, string Owner, string InstanceId, string Network);
