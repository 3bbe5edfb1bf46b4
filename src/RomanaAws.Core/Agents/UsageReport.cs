namespace RomanaAws.Core.Agents;

/// <summary>Body of <c>PUT /v1/agents/{instanceId}/usage</c>: addresses in use per block CIDR of the host (0 to the block's size).</summary>
public sealed record UsageReport(IReadOnlyDictionary<string, int>? Blocks);
