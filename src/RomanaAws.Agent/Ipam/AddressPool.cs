namespace RomanaAws.Agent.Ipam;

/// <summary>
/// Where a pod's address comes from: its owner's blocks (namespace, or namespace/segment) in one pod network.
/// <paramref name="Network"/> null is the default network (the topology's first), so a node that never heard of
/// networks and one that has agree on every pod without <c>romana.io/network</c>.
/// </summary>
public readonly record struct AddressPool(string Owner, string? Network = null)
{
    public override string ToString() => Network is null ? $"owner '{Owner}'" : $"owner '{Owner}' in network '{Network}'";
}
