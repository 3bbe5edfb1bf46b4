namespace RomanaAws.Agent.Bird;

/// <summary>
/// One BGP session as BIRD reports it: protocol name, neighbor, BIRD's state (up, start, down) and BGP state
/// (Established, Active, Connect…); or one OSPF neighbor, whose info is the adjacency state (Full/DR, 2-Way…).
/// </summary>
public sealed record RouterSession(string Protocol, string Neighbor, string State, string Info)
{
    /// <summary>Routes flow: a BGP session Established, or an OSPF adjacency Full.</summary>
    public bool Established => State == "up" && (Info.StartsWith("Established", StringComparison.Ordinal) || Info.StartsWith("Full", StringComparison.Ordinal));
}
