using RomanaAws.Core.Net;

namespace RomanaAws.Core.Ipam;

/// <summary>
/// A block owned by one (host, owner) pair in one network. Either it tracks the pods holding its addresses (the
/// offline <c>ipam allocate</c> path), or it is <see cref="Claimed"/> by the host's agent, which owns its addresses
/// and reports only how many it holds (<see cref="Report"/>).
/// </summary>
internal sealed class BlockAllocation
{
    private readonly string?[] _pods;
    private int _firstMaybeFree;

    public BlockAllocation(GroupAllocation group, int index, HostRecord host, string owner, bool claimed = false)
    {
        Group = group;
        Index = index;
        Cidr = group.BlockCidr(index);
        Host = host;
        Owner = owner;
        Claimed = claimed;
        Capacity = (int)Cidr.AddressCount;
        _pods = claimed ? [] : new string?[Capacity];
    }

    /// <summary>Claimed by the host's agent: no per-pod entries here; <see cref="Used"/> is the agent's last report.</summary>
    public bool Claimed { get; }

    public GroupAllocation Group { get; }

    public int Index { get; }

    public Cidr Cidr { get; }

    public HostRecord Host { get; }

    public string Owner { get; }

    public int Used { get; private set; }

    public int Capacity { get; }

    public bool IsFull => Used == Capacity;

    public ReadOnlySpan<string?> Pods => _pods;

    /// <summary>Takes the lowest free offset for <paramref name="podKey"/>; -1 when full.</summary>
    public int Take(string podKey)
    {
        for (var i = _firstMaybeFree; i < _pods.Length; i++)
        {
            if (_pods[i] is null)
            {
                _pods[i] = podKey;
                Used++;
                _firstMaybeFree = i + 1;
                return i;
            }
        }

        _firstMaybeFree = _pods.Length;
        return -1;
    }

    /// <summary>Puts <paramref name="podKey"/> at a given offset (loading state).</summary>
    public void Put(int offset, string podKey)
    {
        if (_pods[offset] is not null)
        {
            throw new InvalidOperationException($"offset {offset} of {Cidr} is already held by '{_pods[offset]}'");
        }

        _pods[offset] = podKey;
        Used++;
    }

    /// <summary>Sets the address count of a claimed block (validated by the caller: 0 to <see cref="Capacity"/>).</summary>
    public void Report(int used)
    {
        if (!Claimed || used < 0 || used > Capacity)
        {
            throw new InvalidOperationException($"block {Cidr}: usage {used} cannot be reported (claimed {Claimed}, capacity {Capacity})");
        }

        Used = used;
    }

    public void Free(int offset)
    {
        _pods[offset] = null;
        Used--;
        if (offset < _firstMaybeFree)
        {
            _firstMaybeFree = offset;
        }
    }
}
