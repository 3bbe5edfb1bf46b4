namespace RomanaAws.Agent.Bgp;

/// <summary>What /healthz and /metrics say about BGP: BIRD's sessions, and what each exports.</summary>
/// <param name="Exported">Protocol → the prefixes BIRD exports to that router right now.</param>
public sealed record BgpStatus(IReadOnlyList<BgpSession> Sessions, IReadOnlyDictionary<string, IReadOnlyList<string>> Exported, int Reconfigurations)
{
    public int EstablishedCount => Sessions.Count(s => s.Established);
}
