using RomanaAws.Core.Net;

namespace RomanaAws.Agent.Policy;

/// <summary>
/// A Kubernetes NetworkPolicy as RomanaAws enforces it: pods are selected by owner (namespace, optionally a
/// segment from the <c>romana.io/segment</c> label), because blocks are owned per namespace/segment and rules match
/// whole block CIDRs.
/// </summary>
public sealed record PolicySpec(
    string Name,
    string Namespace,
    string? Segment,
    bool Ingress,
    bool Egress,
    IReadOnlyList<PolicyRule> IngressRules,
    IReadOnlyList<PolicyRule> EgressRules)
{
    /// <summary>Whether this policy selects pods of <paramref name="owner"/> ("ns" or "ns/segment").</summary>
    public bool Selects(string owner) => OwnerMatch.Matches(owner, Namespace, Segment);
}

/// <summary>One ingress (from) or egress (to) rule: any listed peer, on any listed port (empty lists mean "all").</summary>
public sealed record PolicyRule(IReadOnlyList<PolicyPeer> Peers, IReadOnlyList<PolicyPort> Ports);

public abstract record PolicyPeer;

/// <summary>Pods by owner: a namespace (null: every namespace) and optionally a segment.</summary>
public sealed record OwnerPeer(string? Namespace, string? Segment) : PolicyPeer
{
    public bool Matches(string owner) => OwnerMatch.Matches(owner, Namespace, Segment);

    public override string ToString() => $"{Namespace ?? "*"}/{Segment ?? "*"}";
}

/// <summary>Addresses: a CIDR, less the excepted ranges.</summary>
public sealed record IpBlockPeer(Cidr Cidr, IReadOnlyList<Cidr> Except) : PolicyPeer
{
    public override string ToString() => Except.Count == 0 ? Cidr.ToString() : $"{Cidr} except {string.Join(",", Except)}";
}

/// <summary>A protocol and port (or range); a null port means every port of the protocol.</summary>
public sealed record PolicyPort(string Protocol, int? Port, int? EndPort);

internal static class OwnerMatch
{
    public static bool Matches(string owner, string? @namespace, string? segment)
    {
        var slash = owner.IndexOf('/', StringComparison.Ordinal);
        var ns = slash < 0 ? owner.AsSpan() : owner.AsSpan(0, slash);
        return (@namespace is null || ns.SequenceEqual(@namespace))
            && (segment is null || (slash >= 0 && owner.AsSpan(slash + 1).SequenceEqual(segment)));
    }

    /// <summary>The namespace part of an owner ("ns" or "ns/segment").</summary>
    public static string Namespace(string owner) => owner.IndexOf('/', StringComparison.Ordinal) is var slash and >= 0 ? owner[..slash] : owner;
}
