using System.Net;
using RomanaAws.Agent.Ipam;
using RomanaAws.Core.Agents;
using RomanaAws.Core.Net;

namespace RomanaAws.Agent.Tests.Ipam;

public sealed class NodeIpamTests
{
    private static readonly Cidr A = Cidr.Parse("100.96.0.0/30");
    private static readonly Cidr B = Cidr.Parse("100.96.0.4/30");
    private static readonly Cidr Other = Cidr.Parse("100.96.1.0/30");

    private static NodeIpam With(params OwnedBlock[] blocks)
    {
        var ipam = new NodeIpam();
        ipam.SetBlocks(blocks);
        return ipam;
    }

    private static AttachmentKey Key(int n) => new($"c{n}", "eth0");

    [Fact]
    public void Allocate_LowestFreeOfTheOwnersBlocks_ThenNextBlock()
    {
        var ipam = With(new OwnedBlock(B, "web"), new OwnedBlock(A, "web"), new OwnedBlock(Other, "db"));
        var got = Enumerable.Range(0, 5).Select(i => ipam.Allocate(Key(i), new AddressPool("web"), null).Attachment!.Address.ToString()).ToList();
        Assert.Equal(["100.96.0.0", "100.96.0.1", "100.96.0.2", "100.96.0.3", "100.96.0.4"], got);
        Assert.Equal(3, ipam.Free(new AddressPool("web")));
        Assert.Equal("100.96.1.0", ipam.Allocate(Key(9), new AddressPool("db"), null).Attachment!.Address.ToString());
    }

    [Fact]
    public void Allocate_SameKeyAgain_SameAddressMarkedExisting()
    {
        var ipam = With(new OwnedBlock(A, "web"));
        var first = ipam.Allocate(Key(1), new AddressPool("web"), "/run/netns/p1");
        var again = ipam.Allocate(Key(1), new AddressPool("web"), "/run/netns/p1");
        Assert.True(again.Existing);
        Assert.Equal(first.Attachment, again.Attachment);
        Assert.Single(ipam.Attachments);
        Assert.False(ipam.Allocate(Key(1), new AddressPool("db"), null).Succeeded);
    }

    [Fact]
    public void Allocate_NoBlockOrFull_SaysWhy()
    {
        var ipam = With(new OwnedBlock(A, "web"));
        Assert.Contains("holds no block for owner 'db'", ipam.Allocate(Key(1), new AddressPool("db"), null).Problem, StringComparison.Ordinal);
        for (var i = 0; i < 4; i++)
        {
            Assert.True(ipam.Allocate(Key(i), new AddressPool("web"), null).Succeeded);
        }

        Assert.Contains("the 1 block(s) of owner 'web' on this node are full", ipam.Allocate(Key(9), new AddressPool("web"), null).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Allocate_SameOwnerInTwoNetworks_SeparatePools_BlockMovingNetworkRetires()
    {
        var ipam = With(new OwnedBlock(A, "web"), new OwnedBlock(B, "web", "batch"));
        Assert.Equal(A, ipam.Allocate(Key(1), new AddressPool("web"), null).Attachment!.Block);
        var batch = ipam.Allocate(Key(2), new AddressPool("web", "batch"), null).Attachment!;
        Assert.Equal((B, "batch"), (batch.Block, batch.Network));
        Assert.Contains("holds no block for owner 'web' in network 'other'", ipam.Allocate(Key(3), new AddressPool("web", "other"), null).Problem, StringComparison.Ordinal);
        Assert.False(ipam.Allocate(Key(2), new AddressPool("web"), null).Succeeded); // held in "batch", not the default pool
        Assert.Equal([new AddressPool("web"), new AddressPool("web", "batch")], ipam.Pools().Select(p => p.Pool));

        // The controller now lists B in the default network: a different pool, so the pod in it keeps B retired.
        ipam.SetBlocks([new OwnedBlock(A, "web"), new OwnedBlock(B, "web")]);
        Assert.Equal([B], ipam.RetiredBlocks);
    }

    [Fact]
    public void Release_FreesForReuse_AndRepeatedReleaseIsHarmless()
    {
        var ipam = With(new OwnedBlock(A, "web"));
        var first = ipam.Allocate(Key(1), new AddressPool("web"), null).Attachment!;
        ipam.Allocate(Key(2), new AddressPool("web"), null);
        Assert.True(ipam.Release(Key(1)));
        Assert.False(ipam.Release(Key(1)));
        Assert.Equal(first.Address, ipam.Allocate(Key(3), new AddressPool("web"), null).Attachment!.Address);
    }

    [Fact]
    public void SetBlocks_RemovedBlockWithPods_RetiresUntilEmpty()
    {
        var ipam = With(new OwnedBlock(A, "web"), new OwnedBlock(B, "web"));
        var held = ipam.Allocate(Key(1), new AddressPool("web"), null).Attachment!;
        ipam.SetBlocks([new OwnedBlock(B, "web")]);
        Assert.Equal([A], ipam.RetiredBlocks);
        Assert.Equal(B, ipam.Allocate(Key(2), new AddressPool("web"), null).Attachment!.Block);
        Assert.True(ipam.Release(held.Key));
        Assert.Empty(ipam.RetiredBlocks);
        Assert.DoesNotContain(A, ipam.Usage().Keys);
    }

    [Fact]
    public void EmptyBlocks_OnlyUsableBlocksWithoutPods()
    {
        var ipam = With(new OwnedBlock(A, "web"), new OwnedBlock(B, "web"));
        ipam.Allocate(Key(1), new AddressPool("web"), null);
        Assert.Equal([new OwnedBlock(B, "web")], ipam.EmptyBlocks());
    }

    [Fact]
    public void Restore_Checkpoint_KeepsLiveDropsGoneAndNeverDoubleAssigns()
    {
        var before = With(new OwnedBlock(A, "web"));
        for (var i = 0; i < 3; i++)
        {
            before.Allocate(Key(i), new AddressPool("web"), $"/run/netns/p{i}");
        }

        var checkpoint = before.ToCheckpoint();
        var after = With(new OwnedBlock(A, "web"));
        var dropped = after.Restore(checkpoint, a => a.Key != Key(1));
        Assert.Equal([Key(1)], dropped.Select(d => d.Key));
        Assert.Equal(2, after.Attachments.Count);
        var next = after.Allocate(Key(7), new AddressPool("web"), null).Attachment!;
        Assert.Equal(IPAddress.Parse("100.96.0.1"), next.Address);
        Assert.DoesNotContain(after.Attachments, a => a.Key != Key(7) && a.Address.Equals(next.Address));
    }

    [Fact]
    public void Restore_AddressOutsideItsBlockOrTakenTwice_Dropped()
    {
        var ipam = With(new OwnedBlock(A, "web"));
        var bad = new PodAttachment(Key(1), IPAddress.Parse("100.96.9.9"), A, "web", null);
        var one = new PodAttachment(Key(2), IPAddress.Parse("100.96.0.2"), A, "web", null);
        var twin = new PodAttachment(Key(3), IPAddress.Parse("100.96.0.2"), A, "web", null);
        var dropped = ipam.Restore(new NodeIpamCheckpoint { Attachments = [bad, one, twin] }, _ => true);
        Assert.Equal([Key(1), Key(3)], dropped.Select(d => d.Key));
        Assert.Equal([one], ipam.Attachments);
    }
}
