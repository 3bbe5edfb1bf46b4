namespace RomanaAws.Core.Persistence.Records;

/// <summary>A <c>subnets/NETWORK/ZONE/SLOT</c> record: the VPC subnet in the slot and its groups with their member hosts.</summary>
public sealed record SubnetValue(string Id, IReadOnlyList<GroupStateDocument> Groups);
