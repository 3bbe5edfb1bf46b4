namespace RomanaAws.Agent.Bgp;

/// <summary>One BGP session as BIRD reports it: protocol name, neighbor, BIRD's state (up, start, down) and BGP state (Established, Active, Connect…).</summary>
public sealed record BgpSession(string Protocol, string Neighbor, string State, string Info)
{
    public bool Established => State == "up" && Info.StartsWith("Established", StringComparison.Ordinal);
}
