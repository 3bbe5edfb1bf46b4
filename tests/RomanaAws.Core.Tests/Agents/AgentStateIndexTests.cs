using System.Text.Json;
using RomanaAws.Core.Agents;
using RomanaAws.Core.Net;
using RomanaAws.Core.Persistence;
using static RomanaAws.Core.Tests.Fixtures;
using CoreIpam = RomanaAws.Core.Ipam.Ipam;

namespace RomanaAws.Core.Tests.Agents;

/// <summary>Every node's desired state from one state document: what the controller publishes for agents' reads.</summary>
public sealed class AgentStateIndexTests
{
    [Fact]
    public void For_PeersAreTheSameSubnetsOtherHosts_InInstanceOrder_WithTheirBlocks()
    {
        var ipam = CoreIpam.Create(MakeTopology());
        ipam.AddHost(Host(3));
        ipam.AddHost(Host(1));
        ipam.AddHost(Host(2));
        ipam.AddHost(Host(4, subnet: 2));
        var peerBlock = ipam.ClaimBlock(InstanceId(3), "shop");
        var elsewhere = ipam.ClaimBlock(InstanceId(4), "shop");

        var view = new AgentStateIndex(ipam.ToDocument()).For(InstanceId(1))!;

        Assert.Equal([InstanceId(2), InstanceId(3)], view.Peers.Select(p => p.InstanceId));
        Assert.Equal([new OwnedBlock(peerBlock.Cidr, "shop", "pods")], view.Peers[1].Blocks);
        Assert.Equal(Host(3).PrimaryIp.ToString(), view.Peers[1].Ip);
        Assert.Empty(view.Blocks);
        Assert.Equal([peerBlock.Cidr, elsewhere.Cidr], view.Owners["shop"].Order()); // owners span the cluster
        Assert.Null(new AgentStateIndex(ipam.ToDocument()).For(InstanceId(9)));
    }

    [Fact]
    public void For_GroupFull_ListsTheOverflowRangeWithTheGroup()
    {
        // One group per /22 zone: 64 blocks of /28; the 65th takes an overflow range.
        var ipam = CoreIpam.Create(MakeTopology(cidr: "10.0.0.0/20", subnetsPerZone: 1, groupsPerSubnet: 1));
        ipam.AddHost(Host(1));
        for (var i = 0; i < 65; i++)
        {
            ipam.ClaimBlock(InstanceId(1), "ns");
        }

        var view = new AgentStateIndex(ipam.ToDocument()).For(InstanceId(1))!;

        Assert.Equal(["10.0.0.0/22", "10.0.12.0/22"], view.Groups.Select(g => g.ToString()));
        Assert.Equal(ipam.Plan().Routes.Select(r => r.Destination).Order(), view.Groups);
        Assert.Equal(65, view.Blocks.Count);
    }

    [Fact]
    public void For_StoredAndLoadedDocument_AnswersLikeTheLiveOne()
    {
        var ipam = WithHosts(MakeTopology(), 12, subnetsPerZone: 2);
        foreach (var (host, i) in ipam.Hosts.Select((h, i) => (h.InstanceId, i)))
        {
            ipam.ClaimBlock(host, $"ns-{i % 3}");
        }

        var live = new AgentStateIndex(ipam.ToDocument(4));
        var stored = new AgentStateIndex(IpamStateSerializer.Deserialize(IpamStateSerializer.Serialize(ipam.ToDocument(4)), "s.json"));
        foreach (var host in ipam.Hosts)
        {
            Assert.Equal(JsonSerializer.Serialize(live.For(host.InstanceId)), JsonSerializer.Serialize(stored.For(host.InstanceId)));
        }
    }
}
