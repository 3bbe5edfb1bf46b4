using RomanaAws.Core.Net;

namespace RomanaAws.Agent.Ipam;

/// <summary>What <see cref="BlockDemand"/> decided: pools to claim one block for now, and empty blocks to give back.</summary>
public sealed record BlockDecision(IReadOnlyList<AddressPool> Claim, IReadOnlyList<Cidr> GiveBack)
{
    public bool IsEmpty => Claim.Count == 0 && GiveBack.Count == 0;
}
