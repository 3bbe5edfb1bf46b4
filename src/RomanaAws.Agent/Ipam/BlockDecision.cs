using RomanaAws.Core.Net;

namespace RomanaAws.Agent.Ipam;

/// <summary>What <see cref="BlockDemand"/> decided: owners to claim one block for now, and empty blocks to give back.</summary>
public sealed record BlockDecision(IReadOnlyList<string> Claim, IReadOnlyList<Cidr> GiveBack)
{
    public bool IsEmpty => Claim.Count == 0 && GiveBack.Count == 0;
}
