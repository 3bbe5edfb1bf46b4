using RomanaAws.Core.Net;

namespace RomanaAws.Core.Agents;

/// <summary>Builds one node's <see cref="AgentDesiredState"/> from the IPAM. Pure (reads the IPAM it is given).</summary>
public static class AgentView
{
    public static AgentDesiredState? For(Ipam.Ipam ipam, string instanceId)
    {
        ArgumentNullException.ThrowIfNull(ipam);
        if (ipam.FindHost(instanceId) is not { } self)
        {
            return null;
        }

        var blocks = ipam.Blocks();
        var plan = ipam.Plan();
        var groups = self.Groups.SelectMany(g => plan.Routes.Where(r => r.Network == g.Network && r.Zone == g.Zone && r.Subnet == g.SubnetId && r.Group == g.Index).Select(r => r.Destination))
            .Distinct().Order().ToList();
        var peers = ipam.Hosts.Where(h => h.InstanceId != instanceId && h.SubnetId == self.Host.SubnetId)
            .OrderBy(h => h.InstanceId, StringComparer.Ordinal)
            .Select(h => new PeerBlocks(h.InstanceId, h.PrimaryIp.ToString(), blocks.Where(b => b.InstanceId == h.InstanceId).Select(b => new OwnedBlock(b.Cidr, b.Owner, b.Network)).ToList()))
            .ToList();
        return new AgentDesiredState
        {
            InstanceId = instanceId,
            Groups = groups,
            Blocks = blocks.Where(b => b.InstanceId == instanceId).Select(b => new OwnedBlock(b.Cidr, b.Owner, b.Network)).ToList(),
            Peers = peers,
            Owners = blocks.GroupBy(b => b.Owner).OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => (IReadOnlyList<Cidr>)g.Select(b => b.Cidr).Order().ToList(), StringComparer.Ordinal),
            Networks = ipam.Topology.Networks.Select(n => n.Name).ToList(),
        };
    }
}
