using Etcdserverpb;
using Google.Protobuf;
using RomanaAws.Core.Leadership;
using RomanaAws.Core.Net;
using RomanaAws.Core.Persistence;
using RomanaAws.Core.Persistence.Records;
using RomanaAws.Tests.Shared;
using Xunit.Abstractions;
using static RomanaAws.Core.Tests.Fixtures;
using CoreIpam = RomanaAws.Core.Ipam.Ipam;

namespace RomanaAws.Etcd.Tests;

/// <summary>
/// The IPAM state on a real 3-member etcd cluster (loopback ports, started by the test): per-record keys, revision
/// compares so two writers never both win, the leader fence, a split save interrupted mid-way, losing members.
/// </summary>
public sealed class EtcdIpamStateStoreTests(ITestOutputHelper output) : EtcdTest(output)
{
    private EtcdConnection Connect(int maxTxnOps = EtcdOptions.DefaultMaxTxnOps) =>
        new(new EtcdOptions { Endpoints = Cluster!.Endpoints, Prefix = "/romana-aws/test.k8s.local/", MaxTxnOps = maxTxnOps, CallTimeout = TimeSpan.FromSeconds(3) });

    private static CoreIpam Populated(int hosts = 12)
    {
        var ipam = WithHosts(MakeTopology(), hosts, subnetsPerZone: 2);
        ipam.ClaimBlock(InstanceId(1), "shop");
        ipam.ClaimBlock(InstanceId(2), "shop/web");
        ipam.Allocate("default/p1", InstanceId(3), "default");
        return ipam;
    }

    private static string Text(IpamStateDocument d) => System.Text.Encoding.UTF8.GetString(IpamStateSerializer.Serialize(d with { Revision = 0, Digest = null }));

    [Fact]
    public async Task SaveLoad_OneKeyPerRecord_AFreshStoreLoadsTheSameState()
    {
        if (Cluster is null)
        {
            return;
        }

        using var etcd = Connect();
        var store = new EtcdIpamStateStore(etcd);
        Assert.Null(await store.LoadAsync(CancellationToken.None));
        var document = Populated().ToDocument();
        var revision = await store.SaveAsync(document, 0, CancellationToken.None);
        Assert.True(revision > 0);

        var (records, _) = await etcd.RangeAsync("/romana-aws/test.k8s.local/state/", 0, CancellationToken.None);
        Assert.Equal(12, records.Keys.Count(k => k.StartsWith("hosts/", StringComparison.Ordinal)));
        Assert.Contains("topology", records.Keys);
        Assert.Equal(document.Blocks.Count, records.Keys.Count(k => k.StartsWith("blocks/pods/", StringComparison.Ordinal)));

        var fresh = await new EtcdIpamStateStore(etcd).LoadAsync(CancellationToken.None);
        Assert.Equal(Text(document), Text(fresh!));
        Assert.Equal(revision, fresh!.Revision);

        // A claim writes one record; an unchanged save writes nothing.
        var ipam = CoreIpam.FromDocument(fresh, "etcd");
        var reloaded = new EtcdIpamStateStore(etcd);
        await reloaded.LoadAsync(CancellationToken.None);
        ipam.ClaimBlock(InstanceId(4), "team");
        var after = await reloaded.SaveAsync(ipam.ToDocument(), revision, CancellationToken.None);
        var (changed, _) = await etcd.RangeAsync("/romana-aws/test.k8s.local/state/", 0, CancellationToken.None);
        Assert.Equal([.. changed.Where(r => r.Value.ModRevision == after).Select(r => r.Key)], [StateRecords.BlockKey("pods", ipam.Blocks().Single(b => b.Owner == "team").Cidr)]);
        Assert.Equal(after, await reloaded.SaveAsync(ipam.ToDocument(), after, CancellationToken.None));
    }

    [Fact]
    public async Task TwoWriters_SameRecord_OneWins_TheOtherConflictsAndSeesTheWinnerAfterReload()
    {
        if (Cluster is null)
        {
            return;
        }

        using var etcd = Connect();
        await new EtcdIpamStateStore(etcd).SaveAsync(Populated().ToDocument(), 0, CancellationToken.None);
        var a = new EtcdIpamStateStore(etcd);
        var b = new EtcdIpamStateStore(etcd);
        var ipamA = CoreIpam.FromDocument((await a.LoadAsync(CancellationToken.None))!, "a");
        var ipamB = CoreIpam.FromDocument((await b.LoadAsync(CancellationToken.None))!, "b");
        var block = ipamA.Blocks().First(x => x.Owner == "shop").Cidr;
        ipamA.ReportUsage(InstanceId(1), new Dictionary<Cidr, int> { [block] = 5 });
        ipamB.ReportUsage(InstanceId(1), new Dictionary<Cidr, int> { [block] = 9 });

        await a.SaveAsync(ipamA.ToDocument(), 1, CancellationToken.None);
        await Assert.ThrowsAsync<StateConflictException>(() => b.SaveAsync(ipamB.ToDocument(), 1, CancellationToken.None));
        var seen = CoreIpam.FromDocument((await b.LoadAsync(CancellationToken.None))!, "b");
        Assert.Equal(5, seen.BlockUsage().Single(u => u.Cidr == block).Used);
    }

    [Fact]
    public async Task Fence_TermEnded_NothingWritten_NotLeader()
    {
        if (Cluster is null)
        {
            return;
        }

        using var etcd = Connect();
        const string leaderKey = "/romana-aws/test.k8s.local/leader";
        var created = await etcd.TxnAsync(new TxnRequest { Success = { new RequestOp { RequestPut = new PutRequest { Key = ByteString.CopyFromUtf8(leaderKey), Value = ByteString.CopyFromUtf8("a") } } } }, CancellationToken.None);
        var fence = new FixedFence(new LeaderToken(leaderKey, created.Header.Revision, "a"));
        var store = new EtcdIpamStateStore(etcd, fence);
        await store.SaveAsync(Populated().ToDocument(), 0, CancellationToken.None);

        // Another term begins (the key deleted and created again by someone else): the old term's write fails whole.
        await etcd.TxnAsync(new TxnRequest { Success = { new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = ByteString.CopyFromUtf8(leaderKey) } } } }, CancellationToken.None);
        await etcd.TxnAsync(new TxnRequest { Success = { new RequestOp { RequestPut = new PutRequest { Key = ByteString.CopyFromUtf8(leaderKey), Value = ByteString.CopyFromUtf8("b") } } } }, CancellationToken.None);
        var before = await etcd.RangeAsync("/romana-aws/test.k8s.local/state/hosts/", 0, CancellationToken.None);
        var ipam = Populated(13);
        var message = (await Assert.ThrowsAsync<NotLeaderException>(() => store.SaveAsync(ipam.ToDocument(), 1, CancellationToken.None))).Message;
        Assert.Contains("no longer this replica's term", message, StringComparison.Ordinal);
        Assert.Equal(before.Records.Count, (await etcd.RangeAsync("/romana-aws/test.k8s.local/state/hosts/", 0, CancellationToken.None)).Records.Count);

        // Without a current token the store refuses before sending anything.
        await Assert.ThrowsAsync<NotLeaderException>(() => new EtcdIpamStateStore(etcd, new FixedFence(null)).SaveAsync(ipam.ToDocument(), 1, CancellationToken.None));
    }

    [Fact]
    public async Task SplitSave_WriterDiesMidWay_ReadersLoadTheLastCompleteState_NextSaveRepairs()
    {
        if (Cluster is null)
        {
            return;
        }

        using var etcd = Connect(maxTxnOps: 10);
        var store = new EtcdIpamStateStore(etcd);
        var complete = Populated(6).ToDocument();
        var completeRevision = await store.SaveAsync(complete, 0, CancellationToken.None); // split: 6 hosts + slots + blocks + topology > 8 per batch

        // A writer dies after its first batch: the inflight record and some new hosts are there, the rest is not.
        var grown = StateRecords.ToRecords(Populated(12).ToDocument(), new Dictionary<string, long>());
        var txn = new TxnRequest();
        txn.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = ByteString.CopyFromUtf8("/romana-aws/test.k8s.local/state/inflight"), Value = ByteString.CopyFromUtf8(StateRecords.WriteInflight(new InflightValue(completeRevision, "dead"))) } });
        foreach (var host in grown.Where(r => r.Key.StartsWith("hosts/", StringComparison.Ordinal)).Take(4))
        {
            txn.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = ByteString.CopyFromUtf8("/romana-aws/test.k8s.local/state/" + host.Key), Value = ByteString.CopyFromUtf8(host.Value) } });
        }

        await etcd.TxnAsync(txn, CancellationToken.None);
        var reader = new EtcdIpamStateStore(etcd);
        var loaded = (await reader.LoadAsync(CancellationToken.None))!;
        Assert.Equal(Text(complete), Text(loaded));

        // The next leader's save diffs against what is really there: afterwards no inflight, and exactly its state.
        var next = Populated(12).ToDocument();
        await reader.SaveAsync(next, loaded.Revision, CancellationToken.None);
        var (records, _) = await etcd.RangeAsync("/romana-aws/test.k8s.local/state/", 0, CancellationToken.None);
        Assert.DoesNotContain(StateRecords.InflightKey, records.Keys);
        Assert.Equal(Text(next), Text((await new EtcdIpamStateStore(etcd).LoadAsync(CancellationToken.None))!));
    }

    [Fact]
    public async Task LoseOneMember_ServiceContinues_LoseTheMajority_UnavailableThenRecovers()
    {
        if (Cluster is null)
        {
            return;
        }

        using var etcd = Connect();
        var store = new EtcdIpamStateStore(etcd);
        await store.SaveAsync(Populated().ToDocument(), 0, CancellationToken.None);
        Cluster.Kill(0);
        var ipam = CoreIpam.FromDocument((await store.LoadAsync(CancellationToken.None))!, "etcd");
        ipam.ClaimBlock(InstanceId(5), "after-one-lost");
        await store.SaveAsync(ipam.ToDocument(), 1, CancellationToken.None);

        Cluster.Kill(1);
        ipam.ClaimBlock(InstanceId(6), "after-majority-lost");
        var error = await Assert.ThrowsAsync<EtcdUnavailableException>(() => store.SaveAsync(ipam.ToDocument(), 1, CancellationToken.None));
        Assert.Contains("etcd (", error.Message, StringComparison.Ordinal);

        Cluster.Restart(1);
        await Cluster.WaitHealthyAsync(TimeSpan.FromSeconds(30));
        var recovered = new EtcdIpamStateStore(etcd);
        var state = CoreIpam.FromDocument((await recovered.LoadAsync(CancellationToken.None))!, "etcd");
        Assert.Contains(state.Blocks(), x => x.Owner == "after-one-lost");
        // The refused save's outcome is unknown (an uncommitted proposal may still commit): either way the state loads whole.
        ipam = state;
        ipam.ClaimBlock(InstanceId(7), "after-recovery");
        await recovered.SaveAsync(ipam.ToDocument(), 1, CancellationToken.None);
    }

    private sealed class FixedFence(LeaderToken? token) : ILeaderFence
    {
        public LeaderToken? Current => token;
    }
}
