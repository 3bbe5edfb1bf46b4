namespace RomanaAws.Core.Agents;

/// <summary>Answer of <c>DELETE /v1/agents/{instanceId}/blocks/{cidr}</c>: false when the block was already free.</summary>
public sealed record BlockRelease(bool Released);
