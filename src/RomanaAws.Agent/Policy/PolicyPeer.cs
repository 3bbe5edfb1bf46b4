using RomanaAws.Core.Labels;
using RomanaAws.Core.Net;

namespace RomanaAws.Agent.Policy;

/// <summary>A peer of a rule: pods by selectors, or addresses by CIDR.</summary>
public abstract record PolicyPeer;

/// <summary>
/// Pods matching <see cref="Pods"/> in the namespaces matching <see cref="Namespaces"/> (both given in one peer: AND).
/// A null <see cref="Namespaces"/> means the policy's own namespace (a peer with a podSelector only).
/// </summary>
public sealed record PodPeer(LabelSelector Pods, LabelSelector? Namespaces) : PolicyPeer
{
    public override string ToString() => $"pods[{Pods}] in namespaces[{(Namespaces is null ? "<own>" : Namespaces.ToString())}]";
}

/// <summary>Addresses: a CIDR, less the excepted ranges.</summary>
public sealed record IpBlockPeer(Cidr Cidr, IReadOnlyList<Cidr> Except) : PolicyPeer
{
    public override string ToString() => Except.Count == 0 ? Cidr.ToString() : $"{Cidr} except {string.Join(",", Except)}";
}
