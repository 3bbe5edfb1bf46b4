using RomanaAws.Core.Agents;
using RomanaAws.Core.Net;

namespace RomanaAws.Agent.Ipam;

/// <summary>The addresses of one block on this node: a bit per offset, lowest free first.</summary>
internal sealed class BlockSlots(Cidr cidr, AddressPool pool)
{
    private readonly bool[] _taken = new bool[(int)cidr.AddressCount];

    public Cidr Cidr { get; } = cidr;

    public AddressPool Pool { get; } = pool;

    public OwnedBlock ToOwned() => new(Cidr, Pool.Owner, Pool.Network);

    public int Capacity => _taken.Length;

    public int Used { get; private set; }

    /// <summary>No longer in the desired state; holds pods until they are released.</summary>
    public bool Retired { get; set; }

    public int Take()
    {
        var offset = Array.IndexOf(_taken, false);
        if (offset >= 0)
        {
            _taken[offset] = true;
            Used++;
        }

        return offset;
    }

    public bool Put(int offset)
    {
        if (offset < 0 || offset >= _taken.Length || _taken[offset])
        {
            return false;
        }

        _taken[offset] = true;
        Used++;
        return true;
    }

    public void Free(int offset)
    {
        if (_taken[offset])
        {
            _taken[offset] = false;
            Used--;
        }
    }
}
