namespace RomanaAws.Core.Ipam;

/// <summary>A registered host: where it sits (one group per network) and the blocks it holds per owner.</summary>
internal sealed class HostRecord
{
    public HostRecord(HostSpec spec, int networkCount)
    {
        Spec = spec;
        Groups = new GroupAllocation?[networkCount];
    }

    public HostSpec Spec { get; }

    public string InstanceId => Spec.InstanceId;

    /// <summary>The host's group in each network, by network index.</summary>
    public GroupAllocation?[] Groups { get; }

    /// <summary>Blocks by (network index, owner), oldest first.</summary>
    public Dictionary<(int Network, string Owner), List<BlockAllocation>> Blocks { get; } = [];

    public IEnumerable<BlockAllocation> AllBlocks => Blocks.Values.SelectMany(b => b);
}
