using System.Collections;

namespace RomanaAws.Core.Ipam;

/// <summary>
/// Hosts in arrival order with O(1) add, remove and lookup (a list's <c>Remove</c> scans, which made removing many
/// hosts from a large cluster quadratic). Optional hooks run just before and just after the count changes, so an
/// owner can keep an index on the count (the subnet's least-loaded group order).
/// </summary>
internal sealed class HostSet : IReadOnlyCollection<HostRecord>
{
    private readonly LinkedList<HostRecord> _order = new();
    private readonly Dictionary<HostRecord, LinkedListNode<HostRecord>> _nodes = [];
    private readonly Action? _changing;
    private readonly Action? _changed;

    public HostSet(Action? changing = null, Action? changed = null)
    {
        _changing = changing;
        _changed = changed;
    }

    public int Count => _nodes.Count;

    public bool Contains(HostRecord host) => _nodes.ContainsKey(host);

    /// <summary>Adds at the end; false (and no change) when already present.</summary>
    public bool Add(HostRecord host)
    {
        if (_nodes.ContainsKey(host))
        {
            return false;
        }

        _changing?.Invoke();
        _nodes.Add(host, _order.AddLast(host));
        _changed?.Invoke();
        return true;
    }

    public bool Remove(HostRecord host)
    {
        if (!_nodes.TryGetValue(host, out var node))
        {
            return false;
        }

        _changing?.Invoke();
        _nodes.Remove(host);
        _order.Remove(node);
        _changed?.Invoke();
        return true;
    }

    public LinkedList<HostRecord>.Enumerator GetEnumerator() => _order.GetEnumerator();

    IEnumerator<HostRecord> IEnumerable<HostRecord>.GetEnumerator() => _order.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _order.GetEnumerator();
}
