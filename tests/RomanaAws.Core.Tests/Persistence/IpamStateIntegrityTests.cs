using System.Text;
using RomanaAws.Core.Persistence;
using static RomanaAws.Core.Tests.Fixtures;
using CoreIpam = RomanaAws.Core.Ipam.Ipam;

namespace RomanaAws.Core.Tests.Persistence;

public sealed class IpamStateIntegrityTests
{
    private static IpamStateDocument Sample()
    {
        var ipam = WithHosts(MakeTopology(), 6);
        ipam.Allocate("ns/a", InstanceId(1), "ns");
        ipam.Allocate("ns/b", InstanceId(3), "ns");
        return ipam.ToDocument(revision: 4);
    }

    private static byte[] FlipOneBit(byte[] bytes, string find, int occurrence, int charIndex, int bit)
    {
        var text = Encoding.UTF8.GetString(bytes);
        var at = -1;
        for (var i = 0; i <= occurrence; i++)
        {
            at = text.IndexOf(find, at + 1, StringComparison.Ordinal);
        }

        Assert.True(at >= 0, $"'{find}' #{occurrence} not in the document");
        var copy = (byte[])bytes.Clone();
        copy[at + charIndex] ^= (byte)(1 << bit);
        return copy;
    }

    [Fact]
    public void Deserialize_OneBitFlipInZoneName_IntegrityCheckFailsNamingTheFile()
    {
        var bytes = IpamStateSerializer.Serialize(Sample());
        // the zone name in the networks section (the topology lists it first): us-east-1c → us-mast-1c
        var flipped = FlipOneBit(bytes, "us-east-1c", 1, 3, 3);
        Assert.Contains("us-mast-1c", Encoding.UTF8.GetString(flipped), StringComparison.Ordinal);
        var ex = Assert.Throws<IpamStateException>(() => IpamStateSerializer.Deserialize(flipped, "/var/lib/romana/state.json"));
        Assert.StartsWith("/var/lib/romana/state.json: integrity check failed: content digest sha256:", ex.Message, StringComparison.Ordinal);
        Assert.Contains("does not match the stored digest sha256:", ex.Message, StringComparison.Ordinal);
        Assert.Contains("changed outside romana-aws or corrupted; restore it from backup", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"ns/a\"", 0, 2, 0)]
    [InlineData("\"revision\":4", 0, 11, 0)]
    [InlineData("\"routeLimit\":50", 0, 13, 1)]
    [InlineData("100.96.", 2, 4, 0)]
    public void Deserialize_OneBitFlipAnywhere_Refused(string find, int occurrence, int charIndex, int bit)
    {
        var flipped = FlipOneBit(IpamStateSerializer.Serialize(Sample()), find, occurrence, charIndex, bit);
        var ex = Assert.Throws<IpamStateException>(() => IpamStateSerializer.Deserialize(flipped, "s.json"));
        Assert.StartsWith("s.json: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_Sealed_RoundTripsAndVerifies()
    {
        var bytes = IpamStateSerializer.Serialize(Sample());
        Assert.Contains($"\"schemaVersion\":{IpamStateDocument.CurrentSchemaVersion},\"revision\":4,\"digest\":\"sha256:", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        var loaded = IpamStateSerializer.Deserialize(bytes, "s.json");
        Assert.Equal(bytes, IpamStateSerializer.Serialize(loaded));
    }

    [Fact]
    public void Deserialize_CurrentVersionWithoutDigest_Refused()
    {
        var text = StripDigest(IpamStateSerializer.Serialize(Sample()));
        var ex = Assert.Throws<IpamStateException>(() => IpamStateSerializer.Deserialize(Encoding.UTF8.GetBytes(text), "s.json"));
        Assert.Contains("integrity check failed: the digest is missing", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_Version1WithoutDigest_LoadsAndIsSealedOnNextSave()
    {
        var text = StripDigest(IpamStateSerializer.Serialize(Sample()))
            .Replace($"\"schemaVersion\":{IpamStateDocument.CurrentSchemaVersion}", "\"schemaVersion\":1", StringComparison.Ordinal);
        var document = IpamStateSerializer.Deserialize(Encoding.UTF8.GetBytes(text), "s.json");
        Assert.Equal(1, document.SchemaVersion);
        var ipam = CoreIpam.FromDocument(document, "s.json");
        Assert.Equal(2, ipam.PodCount);
        var resaved = IpamStateSerializer.Serialize(ipam.ToDocument(5));
        Assert.Equal(IpamStateDocument.CurrentSchemaVersion, IpamStateSerializer.Deserialize(resaved, "s.json").SchemaVersion);
        Assert.Contains("\"digest\":\"sha256:", Encoding.UTF8.GetString(resaved), StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_Version1WithAWrongDigest_Refused()
    {
        var bytes = IpamStateSerializer.Serialize(Sample());
        var text = Encoding.UTF8.GetString(FlipOneBit(bytes, "\"ns/b\"", 0, 2, 0))
            .Replace($"\"schemaVersion\":{IpamStateDocument.CurrentSchemaVersion}", "\"schemaVersion\":1", StringComparison.Ordinal);
        var ex = Assert.Throws<IpamStateException>(() => IpamStateSerializer.Deserialize(Encoding.UTF8.GetBytes(text), "s.json"));
        Assert.Contains("integrity check failed", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-5, "revision -5")]
    public void Deserialize_NegativeRevision_RefusedNamingTheValue(long revision, string expected)
    {
        var bytes = IpamStateSerializer.Serialize(Sample() with { Revision = revision });
        var ex = Assert.Throws<IpamStateException>(() => IpamStateSerializer.Deserialize(bytes, "s.json"));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Deserialize_SchemaVersionNeverWritten_Refused(int version)
    {
        var text = StripDigest(IpamStateSerializer.Serialize(Sample()))
            .Replace($"\"schemaVersion\":{IpamStateDocument.CurrentSchemaVersion}", $"\"schemaVersion\":{version}", StringComparison.Ordinal);
        var ex = Assert.Throws<IpamStateException>(() => IpamStateSerializer.Deserialize(Encoding.UTF8.GetBytes(text), "s.json"));
        Assert.Contains($"schemaVersion {version}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_UnverifiedForReseal_AcceptsAChangedFile()
    {
        var flipped = FlipOneBit(IpamStateSerializer.Serialize(Sample()), "\"ns/a\"", 0, 2, 0);
        var document = IpamStateSerializer.Deserialize(flipped, "s.json", verifyIntegrity: false);
        Assert.Contains(document.Blocks, b => b.Pods.Contains("nr/a"));
    }

    internal static string StripDigest(byte[] sealedBytes)
    {
        var text = Encoding.UTF8.GetString(sealedBytes);
        var start = text.IndexOf("\"digest\":", StringComparison.Ordinal);
        var end = text.IndexOf(',', start);
        return text.Remove(start, end - start + 1);
    }
}
