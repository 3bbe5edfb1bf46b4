using System.Text;
using RomanaAws.Core.Agents;
using RomanaAws.Core.Ipam;
using RomanaAws.Core.Net;
using RomanaAws.Core.Persistence;
using static RomanaAws.Core.Tests.Fixtures;
using CoreIpam = RomanaAws.Core.Ipam.Ipam;

namespace RomanaAws.Core.Tests.Ipam;

/// <summary>Blocks claimed by agents: taken lowest first, given back when empty, usage reported per block.</summary>
public sealed class IpamClaimTests
{
    private static CoreIpam TwoHosts(int routeLimit = 50, int blockMask = 28)
    {
        var ipam = CoreIpam.Create(MakeTopology(routeLimit: routeLimit, blockMask: blockMask));
        ipam.AddHost(Host(1));
        ipam.AddHost(Host(2));
        return ipam;
    }

    private static Dictionary<Cidr, int> Usage(params (string Cidr, int Used)[] entries) => entries.ToDictionary(e => Cidr.Parse(e.Cidr), e => e.Used);

    [Fact]
    public void ClaimBlock_LowestFreeFirst_HoldsNoPodEntries()
    {
        var ipam = TwoHosts();
        var first = ipam.ClaimBlock(InstanceId(1), "ns");
        var second = ipam.ClaimBlock(InstanceId(1), "ns");
        Assert.Equal(new BlockRef("pods", Cidr.Parse("100.96.0.0/28"), InstanceId(1), "ns"), first);
        Assert.Equal("100.96.0.16/28", second.Cidr.ToString());
        Assert.Equal(0, ipam.PodCount);
        Assert.All(ipam.ToDocument().Blocks, b => Assert.Empty(b.Pods));
        Assert.All(ipam.BlockUsage(), b => Assert.True(b.Claimed && b.Used == 0 && b.Capacity == 16));
        IpamInvariants.Check(ipam);
    }

    [Fact]
    public void Allocate_OwnerHasClaimedBlocks_NeverUsesTheirAddresses()
    {
        var ipam = TwoHosts();
        ipam.ClaimBlock(InstanceId(1), "ns");
        var pod = ipam.Allocate("ns/a", InstanceId(1), "ns");
        Assert.Equal("100.96.0.16/28", pod.Block.ToString());
        IpamInvariants.Check(ipam);
    }

    [Fact]
    public void ClaimBlock_UnknownHostOrBadOwnerOrNetwork_RefusedNamingTheValue()
    {
        var ipam = TwoHosts();
        Assert.Contains("host i-00000000000000099 is not registered", Assert.Throws<IpamException>(() => ipam.ClaimBlock("i-00000000000000099", "ns")).Message, StringComparison.Ordinal);
        Assert.Contains("owner 'Bad_Owner' must be a Kubernetes namespace", Assert.Throws<IpamException>(() => ipam.ClaimBlock(InstanceId(1), "Bad_Owner")).Message, StringComparison.Ordinal);
        Assert.Contains("network 'nope' is not in the topology", Assert.Throws<IpamException>(() => ipam.ClaimBlock(InstanceId(1), "ns", "nope")).Message, StringComparison.Ordinal);
        Assert.Empty(ipam.Blocks());
    }

    [Fact]
    public void ClaimBlock_GroupFull_ExhaustedNamingTheGroup()
    {
        // Route budget 24 = zones × subnets × groups: no room for an overflow range.
        var ipam = TwoHosts(routeLimit: 29, blockMask: 24);
        var group = ipam.Plan().Networks[0].Zones.SelectMany(z => z.Groups).Single(g => g.Hosts.Contains(InstanceId(1)));
        var usable = group.BlocksTotal - group.BlocksExcluded;
        var sharing = group.Hosts.Count;
        var claimed = Enumerable.Range(0, usable).Select(_ => ipam.ClaimBlock(InstanceId(1), "ns").Cidr).ToList();
        Assert.Equal(usable, claimed.Distinct().Count());
        var ex = Assert.Throws<IpamExhaustedException>(() => ipam.ClaimBlock(InstanceId(sharing), "other"));
        Assert.Equal(group.Cidr.ToString(), ex.Group);
        Assert.Equal(usable, ipam.Blocks().Count);
        Assert.Equal(group.Cidr, ipam.Plan().Routes.Single(r => r.Hosts.Contains(InstanceId(1))).Destination);
    }

    [Fact]
    public void ReleaseBlock_EmptyClaimedBlock_GoesBackAndIsClaimedAgain_RepeatIsFalse()
    {
        var ipam = TwoHosts();
        var first = ipam.ClaimBlock(InstanceId(1), "ns");
        ipam.ClaimBlock(InstanceId(1), "ns");
        Assert.True(ipam.ReleaseBlock(InstanceId(1), first.Cidr));
        Assert.False(ipam.ReleaseBlock(InstanceId(1), first.Cidr));
        Assert.False(ipam.ReleaseBlock(InstanceId(1), Cidr.Parse("100.127.0.0/28")));
        Assert.Equal(first.Cidr, ipam.ClaimBlock(InstanceId(1), "kube-system").Cidr);
        IpamInvariants.Check(ipam);
    }

    [Fact]
    public void ReleaseBlock_LastBlockOfOwner_OwnerGone()
    {
        var ipam = TwoHosts();
        var only = ipam.ClaimBlock(InstanceId(1), "ns");
        Assert.True(ipam.ReleaseBlock(InstanceId(1), only.Cidr));
        Assert.Empty(ipam.Blocks());
        Assert.Empty(AgentView.For(ipam, InstanceId(1))!.Owners);
    }

    [Fact]
    public void ReleaseBlock_OtherHostsBlock_RefusedNamingTheHolder()
    {
        var ipam = TwoHosts();
        var block = ipam.ClaimBlock(InstanceId(2), "ns");
        var message = Assert.Throws<IpamException>(() => ipam.ReleaseBlock(InstanceId(1), block.Cidr)).Message;
        Assert.Contains($"block {block.Cidr} belongs to host {InstanceId(2)} (owner 'ns'), not to host {InstanceId(1)}", message, StringComparison.Ordinal);
        Assert.Single(ipam.Blocks());
    }

    [Fact]
    public void ReleaseBlock_InUseByLastReport_RefusedUntilReportedEmpty()
    {
        var ipam = TwoHosts();
        var block = ipam.ClaimBlock(InstanceId(1), "ns");
        ipam.ReportUsage(InstanceId(1), Usage((block.Cidr.ToString(), 3)));
        var message = Assert.Throws<BlockInUseException>(() => ipam.ReleaseBlock(InstanceId(1), block.Cidr)).Message;
        Assert.Contains("still holds 3 address(es) in use by the last usage report", message, StringComparison.Ordinal);
        ipam.ReportUsage(InstanceId(1), Usage((block.Cidr.ToString(), 0)));
        Assert.True(ipam.ReleaseBlock(InstanceId(1), block.Cidr));
    }

    [Fact]
    public void ReleaseBlock_BlockTrackingPods_RefusedPointingAtPodRelease()
    {
        var ipam = TwoHosts();
        var pod = ipam.Allocate("ns/a", InstanceId(1), "ns");
        Assert.Contains("release those pods instead", Assert.Throws<IpamException>(() => ipam.ReleaseBlock(InstanceId(1), pod.Block)).Message, StringComparison.Ordinal);
        Assert.Equal(1, ipam.PodCount);
    }

    [Fact]
    public void ReportUsage_Valid_KeptPerBlockAndInThePlan()
    {
        var ipam = TwoHosts();
        var a = ipam.ClaimBlock(InstanceId(1), "ns");
        var b = ipam.ClaimBlock(InstanceId(1), "kube-system");
        Assert.True(ipam.ReportUsage(InstanceId(1), Usage((a.Cidr.ToString(), 16), (b.Cidr.ToString(), 2))));
        Assert.False(ipam.ReportUsage(InstanceId(1), Usage((a.Cidr.ToString(), 16))));
        var plan = ipam.Plan();
        Assert.Equal([16, 2], plan.Blocks.Select(u => u.Used));
        Assert.Equal(18, plan.Networks[0].AddressesAllocated);
        IpamInvariants.Check(ipam);
    }

    [Fact]
    public void ReportUsage_BadEntries_AllNamedAndNothingApplied()
    {
        var ipam = TwoHosts();
        var a = ipam.ClaimBlock(InstanceId(1), "ns");
        var b = ipam.ClaimBlock(InstanceId(1), "ns");
        var other = ipam.ClaimBlock(InstanceId(2), "ns");
        var message = Assert.Throws<IpamException>(() => ipam.ReportUsage(InstanceId(1),
            Usage((a.Cidr.ToString(), 5), (b.Cidr.ToString(), 17), (other.Cidr.ToString(), 1), ("100.96.0.0/27", -1)))).Message;
        Assert.Contains($"block {b.Cidr} usage 17 must be 0 to 16", message, StringComparison.Ordinal);
        Assert.Contains($"block {other.Cidr} is not a block of host {InstanceId(1)}", message, StringComparison.Ordinal);
        Assert.Contains("block 100.96.0.0/27 is not a block of host", message, StringComparison.Ordinal);
        Assert.All(ipam.BlockUsage(), u => Assert.Equal(0, u.Used));
    }

    [Fact]
    public void ReportUsage_BlockTrackingPods_Refused()
    {
        var ipam = TwoHosts();
        var pod = ipam.Allocate("ns/a", InstanceId(1), "ns");
        Assert.Contains("tracks its pods in the IPAM", Assert.Throws<IpamException>(() => ipam.ReportUsage(InstanceId(1), Usage((pod.Block.ToString(), 4)))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToDocument_ClaimedBlocksAndPods_RoundTripWithUsage()
    {
        var ipam = TwoHosts();
        var claimed = ipam.ClaimBlock(InstanceId(1), "ns");
        ipam.ReportUsage(InstanceId(1), Usage((claimed.Cidr.ToString(), 7)));
        ipam.Allocate("ns/a", InstanceId(2), "ns");
        var bytes = IpamStateSerializer.Serialize(ipam.ToDocument());
        var json = Encoding.UTF8.GetString(bytes);
        Assert.Contains($"\"cidr\":\"{claimed.Cidr}\",\"host\":\"{InstanceId(1)}\",\"owner\":\"ns\",\"pods\":[],\"used\":7", json, StringComparison.Ordinal);
        Assert.Contains("\"pods\":[\"ns/a\"]}", json, StringComparison.Ordinal);
        var reloaded = CoreIpam.FromDocument(IpamStateSerializer.Deserialize(bytes, "s.json"), "s.json");
        Assert.Equal(ipam.BlockUsage(), reloaded.BlockUsage());
        Assert.Equal([7, 1], reloaded.BlockUsage().Select(u => u.Used));
        IpamInvariants.Check(reloaded);
    }

    [Fact]
    public void FromDocument_Version2WithPods_LoadsWithUsedAsPodCount()
    {
        var ipam = TwoHosts();
        ipam.Allocate("ns/a", InstanceId(1), "ns");
        ipam.Allocate("ns/b", InstanceId(1), "ns");
        var reloaded = CoreIpam.FromDocument(ipam.ToDocument() with { SchemaVersion = 2 }, "s.json");
        var usage = Assert.Single(reloaded.BlockUsage());
        Assert.Equal((2, 16, false), (usage.Used, usage.Capacity, usage.Claimed));
    }

    [Fact]
    public void FromDocument_UsedOutOfRangeOrNotMatchingPods_RefusedNamingBlockAndValue()
    {
        var ipam = TwoHosts();
        ipam.ClaimBlock(InstanceId(1), "ns");
        ipam.Allocate("ns/a", InstanceId(2), "ns");
        var document = ipam.ToDocument();
        var tooMany = document with { Blocks = [document.Blocks[0] with { Used = 17 }, document.Blocks[1]] };
        Assert.Contains("block 100.96.0.0/28 used 17 must be 0 to 16", Assert.Throws<IpamStateException>(() => CoreIpam.FromDocument(tooMany, "s.json")).Message, StringComparison.Ordinal);
        var mismatch = document with { Blocks = [document.Blocks[0], document.Blocks[1] with { Used = 3 }] };
        Assert.Contains($"block {document.Blocks[1].Cidr} used 3 does not match its 1 listed pod(s)",
            Assert.Throws<IpamStateException>(() => CoreIpam.FromDocument(mismatch, "s.json")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AgentView_ClaimedBlocks_ListedAsTheHostsBlocksAndForPeers()
    {
        var ipam = TwoHosts();
        var block = ipam.ClaimBlock(InstanceId(1), "ns");
        Assert.Equal([new OwnedBlock(block.Cidr, "ns", "pods")], AgentView.For(ipam, InstanceId(1))!.Blocks);
        var peer = Assert.Single(AgentView.For(ipam, InstanceId(2))!.Peers);
        Assert.Equal([new OwnedBlock(block.Cidr, "ns", "pods")], peer.Blocks);
    }

    [Fact]
    public void AgentView_TwoNetworks_NamesThemDefaultFirst_EachBlockWithItsNetwork()
    {
        var topology = MakeTopology(groupsPerSubnet: 2) with
        {
            Networks = [.. MakeTopology().Networks, new Core.Topology.NetworkConfig { Name = "batch", Cidr = Cidr.Parse("100.160.0.0/11") }],
        };
        var ipam = CoreIpam.Create(topology);
        ipam.AddHost(Host(1));
        var pods = ipam.ClaimBlock(InstanceId(1), "ns");
        var batch = ipam.ClaimBlock(InstanceId(1), "ns", "batch");
        var view = AgentView.For(ipam, InstanceId(1))!;
        Assert.Equal(["pods", "batch"], view.Networks);
        Assert.True(Cidr.Parse("100.160.0.0/11").Contains(batch.Cidr.NetworkAddress), batch.Cidr.ToString());
        Assert.Equal([new OwnedBlock(pods.Cidr, "ns", "pods"), new OwnedBlock(batch.Cidr, "ns", "batch")], view.Blocks.OrderBy(b => b.Cidr));
        Assert.Equal([pods.Cidr, batch.Cidr], view.Owners["ns"]); // policy matches the owner in every network
    }

    [Fact]
    public void ApplyTopology_AddZone_ClaimedBlocksAndUsageKept()
    {
        var ipam = TwoHosts();
        var block = ipam.ClaimBlock(InstanceId(1), "ns");
        ipam.ReportUsage(InstanceId(1), Usage((block.Cidr.ToString(), 9)));
        var next = ipam.ApplyTopology(MakeTopology(zones: [.. ThreeZones, "us-east-1d"]), out _);
        Assert.Equal(ipam.BlockUsage(), next.BlockUsage());
        Assert.Throws<BlockInUseException>(() => next.ReleaseBlock(InstanceId(1), block.Cidr));
        IpamInvariants.Check(next);
    }

    [Fact]
    public void RemoveHost_WithClaimedBlocks_FreesThem()
    {
        var ipam = TwoHosts();
        var block = ipam.ClaimBlock(InstanceId(1), "ns");
        Assert.Equal(0, ipam.RemoveHost(InstanceId(1)));
        Assert.Empty(ipam.Blocks());
        ipam.AddHost(Host(1));
        Assert.Equal(block.Cidr, ipam.ClaimBlock(InstanceId(1), "ns").Cidr);
    }
}
