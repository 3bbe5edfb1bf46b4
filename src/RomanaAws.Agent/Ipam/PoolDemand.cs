namespace RomanaAws.Agent.Ipam;

/// <summary>
/// One pool's addresses on this node (an owner in one pod network), as <see cref="BlockDemand"/> needs them: how many
/// blocks it holds and of what size, how many addresses are free in them, how many pods live, which blocks are empty,
/// whether an ADD is waiting for an address, and whether a claim for it is already in flight.
/// </summary>
public sealed record PoolDemand(
    AddressPool Pool,
    int Blocks,
    int BlockSize,
    int Free,
    int LivePods,
    IReadOnlyList<EmptyBlock> Empty,
    bool Waiting = false,
    bool ClaimPending = false);
