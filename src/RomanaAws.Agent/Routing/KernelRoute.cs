using RomanaAws.Core.Net;

namespace RomanaAws.Agent.Routing;

/// <summary>A kernel route the agent owns: to a peer block via the peer, or unreachable (own group and blocks).</summary>
public sealed record KernelRoute(Cidr Destination, string? Via)
{
    public bool IsUnreachable => Via is null;

    /// <summary>The route as <c>ip route</c> takes it, with the agent's ownership marker (routing protocol number).</summary>
    public string ToIpCommand(string verb, int protocol) =>
        IsUnreachable ? $"route {verb} unreachable {Destination} proto {protocol}" : $"route {verb} {Destination} via {Via} proto {protocol}";

    public override string ToString() => IsUnreachable ? $"unreachable {Destination}" : $"{Destination} via {Via}";
}
