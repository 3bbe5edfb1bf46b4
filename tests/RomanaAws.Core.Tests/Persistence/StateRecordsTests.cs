using RomanaAws.Core.Net;
using RomanaAws.Core.Persistence;
using RomanaAws.Core.Persistence.Records;
using static RomanaAws.Core.Tests.Fixtures;
using CoreIpam = RomanaAws.Core.Ipam.Ipam;

namespace RomanaAws.Core.Tests.Persistence;

/// <summary>The per-record layout: one record per piece, a round trip that gives the document back, small diffs.</summary>
public sealed class StateRecordsTests
{
    private static CoreIpam Populated()
    {
        var ipam = WithHosts(MakeTopology(), 12, subnetsPerZone: 2);
        ipam.ClaimBlock(InstanceId(1), "shop");
        ipam.ClaimBlock(InstanceId(2), "shop/web");
        ipam.Allocate("default/p1", InstanceId(3), "default");
        ipam.ReportUsage(InstanceId(1), new Dictionary<Cidr, int> { [ipam.Blocks().First(b => b.InstanceId == InstanceId(1)).Cidr] = 3 });
        return ipam;
    }

    private static string Serialized(IpamStateDocument document) => System.Text.Encoding.UTF8.GetString(IpamStateSerializer.Serialize(document with { Revision = 0, Digest = null }));

    [Fact]
    public void RoundTrip_RecordsGiveTheDocumentBack_AndTheIpamLoadsIt()
    {
        var document = Populated().ToDocument();
        var records = StateRecords.ToRecords(document, new Dictionary<string, long>());
        Assert.Equal(1, records.Keys.Count(k => k == StateRecords.TopologyKey));
        Assert.Equal(12, records.Keys.Count(k => k.StartsWith("hosts/", StringComparison.Ordinal)));
        Assert.Equal(document.Blocks.Count, records.Keys.Count(k => k.StartsWith("blocks/", StringComparison.Ordinal)));
        Assert.Equal(document.Networks.Sum(n => n.Zones.Sum(z => z.Subnets.Count)), records.Keys.Count(k => k.StartsWith("subnets/", StringComparison.Ordinal)));

        var back = StateRecords.FromRecords(records, 42, "test")!;
        Assert.Equal(42, back.Revision);
        Assert.Equal(Serialized(document), Serialized(back));
        Assert.Equal(Serialized(document), Serialized(CoreIpam.FromDocument(back, "test").ToDocument()));
    }

    [Fact]
    public void HostLeaving_RewritesItsRecordsOnly_ArrivalOrderKept()
    {
        var ipam = Populated();
        var before = StateRecords.ToRecords(ipam.ToDocument(), new Dictionary<string, long>());
        var seqs = StateRecords.HostSeqs(before);
        ipam.RemoveHost(InstanceId(5));
        ipam.AddHost(Host(13, "us-east-1b", 17));
        var after = StateRecords.ToRecords(ipam.ToDocument(), seqs);

        var changed = after.Where(a => !before.TryGetValue(a.Key, out var v) || v != a.Value).Select(a => a.Key).ToList();
        var gone = before.Keys.Where(k => !after.ContainsKey(k)).ToList();
        Assert.Equal([StateRecords.HostKey(InstanceId(5))], gone);
        Assert.Contains(StateRecords.HostKey(InstanceId(13)), changed);
        Assert.All(changed, k => Assert.True(k == StateRecords.HostKey(InstanceId(13)) || k.StartsWith("subnets/", StringComparison.Ordinal), k));
        Assert.True(changed.Count <= 3, string.Join(", ", changed)); // the new host, the slot it left, the slot it joined
        Assert.Equal(13, StateRecords.HostSeqs(after)[InstanceId(13)]);
        Assert.Equal(InstanceId(13), StateRecords.FromRecords(after, 1, "test")!.Hosts[^1].InstanceId);
    }

    [Theory]
    [InlineData("hosts/i-1/extra", "is of no kind")]
    [InlineData("blocks/pods/100.96.0.0_28", "its key names another")]
    [InlineData("zones/other/us-east-1a", "network 'other'")]
    public void FromRecords_StrayOrInconsistentRecord_ErrorNamesTheKey(string key, string expected)
    {
        var records = StateRecords.ToRecords(Populated().ToDocument(), new Dictionary<string, long>());
        var value = key.StartsWith("blocks/", StringComparison.Ordinal) ? records.First(r => r.Key.StartsWith("blocks/", StringComparison.Ordinal) && r.Key != key).Value
            : key.StartsWith("zones/", StringComparison.Ordinal) ? records.First(r => r.Key.StartsWith("zones/", StringComparison.Ordinal)).Value
            : "{}";
        records[key] = value;
        var message = Assert.Throws<IpamStateException>(() => StateRecords.FromRecords(records, 1, "etcd test")).Message;
        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.StartsWith("etcd test:", message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromRecords_NothingStored_Null_RecordsWithoutTopology_Refused()
    {
        Assert.Null(StateRecords.FromRecords(new Dictionary<string, string>(), 1, "t"));
        Assert.Contains("without a 'topology' record", Assert.Throws<IpamStateException>(() => StateRecords.FromRecords(new Dictionary<string, string> { ["hosts/i-1"] = "{}" }, 1, "t")).Message, StringComparison.Ordinal);
    }
}
