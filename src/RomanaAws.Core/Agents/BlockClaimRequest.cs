namespace RomanaAws.Core.Agents;

/// <summary>Body of <c>POST /v1/agents/{instanceId}/blocks</c>: who the new block is for, in which network (null = the first).</summary>
public sealed record BlockClaimRequest(string? Owner, string? Network = null);
