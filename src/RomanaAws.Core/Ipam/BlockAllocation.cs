using RomanaAws.Core.Net;

namespace RomanaAws.Core.Ipam;

/// <summary>A block owned by one (host, owner) pair in one network, and the pods holding its addresses.</summary>
internal sealed class BlockAllocation
{
    private readonly string?[] _pods;
    private int _firstMaybeFree;

    public BlockAllocation(GroupAllocation group, int index, HostRecord host, string owner)
    {
        Group = group;
        Index = index;
        Cidr = group.BlockCidr(index);
        Host = host;
        Owner = owner;
        _pods = new string?[(int)Cidr.AddressCount];
    }

    public GroupAllocation Group { get; }

    public int Index { get; }

    public Cidr Cidr { get; }

    public HostRecord Host { get; }

    public string Owner { get; }

    public int Used { get; private set; }

    public int Capacity => _pods.Length;

    public bool IsFull => Used == _pods.Length;

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
