namespace RomanaAws.Agent.Bird;

/// <summary>What /healthz and /metrics say about BIRD: its BGP sessions or OSPF neighbors, and what each protocol exports.</summary>
/// <param name="Exported">Protocol → the prefixes BIRD exports to that router right now.</param>
public sealed record RoutingStatus(IReadOnlyList<RouterSession> Sessions, IReadOnlyDictionary<string, IReadOnlyList<string>> Exported, int Reconfigurations)
{
    public int EstablishedCount => Sessions.Count(s => s.Established);
}
