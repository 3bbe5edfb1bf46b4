using RomanaAws.Core.Net;

namespace RomanaAws.Core.Ipam;

/// <summary>
/// A group: one aggregated CIDR (one VPC route) whose hosts share its blocks, plus any overflow ranges taken
/// from the network's spare space when it ran out (one more route each). Blocks are handed out lowest first.
/// </summary>
internal sealed class GroupAllocation
{
    private readonly List<Cidr> _ranges = [];
    private readonly BlockBitmap _used;
    private readonly BlockBitmap _excluded;
    private readonly int _blockPrefix;
    private readonly int _blocksPerRange;

    public GroupAllocation(SubnetAllocation subnet, int index, Cidr cidr)
    {
        Subnet = subnet;
        Index = index;
        Hosts = new HostSet(() => subnet.LoadChanging(this), () => subnet.LoadChanged(this));
        _blockPrefix = subnet.Zone.Network.Config.BlockMask;
        _blocksPerRange = (int)cidr.ChildCount(_blockPrefix);
        _used = new BlockBitmap(0);
        _excluded = new BlockBitmap(0);
        AddRange(cidr);
    }

    public SubnetAllocation Subnet { get; }

    public int Index { get; }

    /// <summary>The group's own aggregate (its route destination).</summary>
    public Cidr Cidr => _ranges[0];

    /// <summary>Overflow ranges taken from spare space, in order taken.</summary>
    public IEnumerable<Cidr> Overflow => _ranges.Skip(1);

    public IReadOnlyList<Cidr> Ranges => _ranges;

    /// <summary>The group's hosts in arrival order; the subnet is told of every change, to keep its least-loaded order.</summary>
    public HostSet Hosts { get; }

    public int BlockCount => _used.Count;

    public int ExcludedBlocks => _excluded.SetCount;

    public int AllocatedBlocks => _used.SetCount - _excluded.SetCount;

    public int FreeBlocks => _used.Count - _used.SetCount;

    public double Utilisation => BlockCount == ExcludedBlocks ? 1 : (double)AllocatedBlocks / (BlockCount - ExcludedBlocks);

    public string Describe => $"{Cidr} ({Subnet.Zone.Network.Config.Name}/{Subnet.Zone.Name}/{Subnet.SubnetId} group {Index})";

    public Cidr BlockCidr(int index) => _ranges[index / _blocksPerRange].Child(_blockPrefix, (UInt128)(index % _blocksPerRange));

    /// <summary>The index of <paramref name="block"/> in this group, or -1 when it lies outside every range.</summary>
    public int IndexOf(Cidr block)
    {
        for (var r = 0; r < _ranges.Count; r++)
        {
            if (_ranges[r].Contains(block) && block.PrefixLength == _blockPrefix)
            {
                return (r * _blocksPerRange) + (int)_ranges[r].IndexOf(block);
            }
        }

        return -1;
    }

    /// <summary>Lowest free block index, marked used; -1 when the group is full.</summary>
    public int TakeLowest()
    {
        var index = _used.FindClear();
        if (index >= 0)
        {
            _used.Set(index);
        }

        return index;
    }

    /// <summary>Marks a specific block used (loading state); false when it was not free.</summary>
    public bool TakeAt(int index) => !_excluded[index] && _used.Set(index);

    public bool IsExcluded(int index) => _excluded[index];

    /// <summary>Returns a block; overflow ranges left empty at the end are given back too.</summary>
    public void Return(int index)
    {
        if (_excluded[index] || !_used.Clear(index))
        {
            throw new InvalidOperationException($"block {index} of {Cidr} was not allocated");
        }

        while (_ranges.Count > 1 && !HasAllocationsIn(_ranges.Count - 1))
        {
            var from = (_ranges.Count - 1) * _blocksPerRange;
            for (var i = from; i < from + _blocksPerRange; i++)
            {
                if (_excluded[i])
                {
                    _excluded.Clear(i);
                    _used.Clear(i);
                }
            }

            _used.Shrink(from);
            _excluded.Shrink(from);
            _ranges.RemoveAt(_ranges.Count - 1);
        }
    }

    /// <summary>Adds a range (the group's own first, then overflow ones); blocks touching excluded ranges are never handed out.</summary>
    public void AddRange(Cidr range)
    {
        var from = _ranges.Count * _blocksPerRange;
        _ranges.Add(range);
        _used.Grow(from + _blocksPerRange);
        _excluded.Grow(from + _blocksPerRange);
        var blockHostBits = range.Width - _blockPrefix;
        foreach (var exclusion in Subnet.Zone.Network.Config.Exclude.Where(range.Overlaps))
        {
            var first = (UInt128.Max(exclusion.NetworkNumber, range.NetworkNumber) - range.NetworkNumber) >> blockHostBits;
            var last = (UInt128.Min(exclusion.LastNumber, range.LastNumber) - range.NetworkNumber) >> blockHostBits;
            for (var i = (int)first; i <= (int)last; i++)
            {
                _excluded.Set(from + i);
                _used.Set(from + i);
            }
        }
    }

    private bool HasAllocationsIn(int range)
    {
        var from = range * _blocksPerRange;
        for (var i = from; i < from + _blocksPerRange; i++)
        {
            if (_used[i] && !_excluded[i])
            {
                return true;
            }
        }

        return false;
    }
}
