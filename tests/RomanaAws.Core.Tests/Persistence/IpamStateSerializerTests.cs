using System.Text;
using RomanaAws.Core.Persistence;
using static RomanaAws.Core.Tests.Fixtures;
using CoreIpam = RomanaAws.Core.Ipam.Ipam;

namespace RomanaAws.Core.Tests.Persistence;

public sealed class IpamStateSerializerTests
{
    internal static string Json(IpamStateDocument document) => Encoding.UTF8.GetString(IpamStateSerializer.Serialize(document));

    private static CoreIpam Sample()
    {
        var ipam = WithHosts(MakeTopology(exclude: ["100.96.0.0/24"]), 9, subnetsPerZone: 2);
        for (var i = 0; i < 100; i++)
        {
            ipam.Allocate($"ns{i % 4}/pod-{i}", InstanceId((i % 9) + 1), $"ns{i % 4}");
        }

        ipam.Release("ns1/pod-5");
        return ipam;
    }

    [Fact]
    public void SaveLoad_RoundTripsExactly()
    {
        var document = Sample().ToDocument(revision: 7);
        var bytes = IpamStateSerializer.Serialize(document);
        var loaded = CoreIpam.FromDocument(IpamStateSerializer.Deserialize(bytes, "state.json"), "state.json");
        Assert.Equal(Encoding.UTF8.GetString(bytes), Json(loaded.ToDocument(revision: 7)));
        Assert.Equal(99, loaded.PodCount);
    }

    [Fact]
    public void Load_ThenAllocate_BehavesLikeTheOriginal()
    {
        var original = Sample();
        var loaded = CoreIpam.FromDocument(IpamStateSerializer.Deserialize(IpamStateSerializer.Serialize(original.ToDocument()), "s"), "s");
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(
                original.Allocate($"x/p{i}", InstanceId((i % 9) + 1), i % 2 == 0 ? "ns1" : "x"),
                loaded.Allocate($"x/p{i}", InstanceId((i % 9) + 1), i % 2 == 0 ? "ns1" : "x"));
        }
    }

    [Fact]
    public void Deserialize_Truncated_NamesTheFile()
    {
        var bytes = IpamStateSerializer.Serialize(Sample().ToDocument(1));
        var ex = Assert.Throws<IpamStateException>(() => IpamStateSerializer.Deserialize(bytes.AsSpan(0, bytes.Length / 2), "/var/lib/romana/state.json"));
        Assert.StartsWith("/var/lib/romana/state.json: the state file is corrupt or truncated", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("[]", "not a romana-aws state file")]
    [InlineData("{\"schema\":\"other\",\"schemaVersion\":1,\"revision\":1}", "not a romana-aws state file")]
    [InlineData("{\"schema\":\"romana-aws/ipam-state\",\"schemaVersion\":9,\"revision\":1}", "schema version 9")]
    public void Deserialize_NotOurs_ClearError(string text, string expected)
    {
        var ex = Assert.Throws<IpamStateException>(() => IpamStateSerializer.Deserialize(Encoding.UTF8.GetBytes(text), "s.json"));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("s.json: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromDocument_Inconsistent_NamesTheEntry()
    {
        var document = Sample().ToDocument();
        var block = document.Blocks[0];
        var moved = document with { Blocks = [block with { Cidr = RomanaAws.Core.Net.Cidr.Parse("100.127.0.0/28") }, .. document.Blocks.Skip(1)] };
        var ex = Assert.Throws<IpamStateException>(() => CoreIpam.FromDocument(moved, "s.json"));
        Assert.Contains("block 100.127.0.0/28", ex.Message, StringComparison.Ordinal);

        var duplicate = document with { Blocks = [.. document.Blocks, block] };
        Assert.Contains("listed twice", Assert.Throws<IpamStateException>(() => CoreIpam.FromDocument(duplicate, "s.json")).Message, StringComparison.Ordinal);

        var unknownHost = document with { Hosts = document.Hosts.Skip(1).ToList() };
        Assert.Throws<IpamStateException>(() => CoreIpam.FromDocument(unknownHost, "s.json"));
    }

    [Fact]
    public void Deserialize_UnknownProperty_Refused()
    {
        var text = Json(Sample().ToDocument(1)).Replace("\"hosts\":", "\"hostz\":[],\"hosts\":", StringComparison.Ordinal);
        Assert.Throws<IpamStateException>(() => IpamStateSerializer.Deserialize(Encoding.UTF8.GetBytes(text), "s.json"));
    }
}
