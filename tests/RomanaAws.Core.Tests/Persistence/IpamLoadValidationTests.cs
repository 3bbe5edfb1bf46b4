using RomanaAws.Core.Persistence;
using static RomanaAws.Core.Tests.Fixtures;
using CoreIpam = RomanaAws.Core.Ipam.Ipam;

namespace RomanaAws.Core.Tests.Persistence;

/// <summary>Every field of a document is checked on load, and each error names the entry and the value.</summary>
public sealed class IpamLoadValidationTests
{
    private static IpamStateDocument Sample(bool discoverZones = false)
    {
        var ipam = WithHosts(MakeTopology(discoverZones: discoverZones), 6);
        ipam.Allocate("ns/a", InstanceId(1), "ns");
        return ipam.ToDocument(revision: 3);
    }

    private static string LoadError(IpamStateDocument document) =>
        Assert.Throws<IpamStateException>(() => CoreIpam.FromDocument(document, "s.json")).Message;

    private static IpamStateDocument RenameZone(IpamStateDocument document, string from, string to) => document with
    {
        Networks = document.Networks.Select(n => n with { Zones = n.Zones.Select(z => z.Name == from ? z with { Name = to } : z).ToList() }).ToList(),
        Hosts = document.Hosts.Select(h => h.Zone == from ? h with { Zone = to } : h).ToList(),
    };

    [Fact]
    public void FromDocument_ZoneNotInTopology_NamesTheZoneAndTheListedOnes()
    {
        var message = LoadError(RenameZone(Sample(), "us-east-1c", "us-mast-1c"));
        Assert.Contains("network 'pods' zone 'us-mast-1c' is not in the stored topology (zones: us-east-1a, us-east-1b, us-east-1c)", message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromDocument_ConfiguredZoneNotCarved_NamesTheZone()
    {
        var document = Sample();
        var trimmed = document with { Networks = document.Networks.Select(n => n with { Zones = n.Zones.Where(z => z.Name != "us-east-1c").ToList() }).ToList() };
        trimmed = trimmed with { Hosts = trimmed.Hosts.Where(h => h.Zone != "us-east-1c").ToList() };
        Assert.Contains("zone 'us-east-1c' of the stored topology has no aggregate in network 'pods'", LoadError(trimmed), StringComparison.Ordinal);
    }

    [Fact]
    public void FromDocument_EmptyDiscoveredZoneName_Refused()
    {
        var message = LoadError(RenameZone(Sample(discoverZones: true), "us-east-1b", " "));
        Assert.Contains("network 'pods' zone ' ' has an empty name", message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromDocument_NegativeRevision_Refused()
    {
        Assert.Contains("revision -5 is negative", LoadError(Sample() with { Revision = -5 }), StringComparison.Ordinal);
    }

    [Fact]
    public void FromDocument_BadSubnetId_NamesTheZoneAndValue()
    {
        var document = Sample();
        var bad = document with
        {
            Networks = document.Networks.Select(n => n with
            {
                Zones = n.Zones.Select(z => z with { Subnets = z.Subnets.Select(s => s with { Id = "subnet-xyz" }).ToList() }).ToList(),
            }).ToList(),
        };
        Assert.Contains("zone 'us-east-1a' subnet 'subnet-xyz' must look like subnet-0123456789abcdef0", LoadError(bad), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("x")]
    public void FromDocument_BadPodKey_NamesTheBlockAndKey(string length)
    {
        var key = length == "x" ? new string('k', 254) : string.Empty;
        var document = Sample();
        var bad = document with { Blocks = [document.Blocks[0] with { Pods = [key] }, .. document.Blocks.Skip(1)] };
        Assert.Contains($"block {document.Blocks[0].Cidr} offset 0: pod key '{key[..Math.Min(key.Length, 64)]}", LoadError(bad), StringComparison.Ordinal);
    }

    [Fact]
    public void FromDocument_OneSubnetInTwoZones_NamesBoth()
    {
        var document = Sample();
        var first = document.Networks[0].Zones[0].Subnets[0].Id;
        var bad = document with
        {
            Networks = document.Networks.Select(n => n with
            {
                Zones = n.Zones.Select((z, i) => i == 1 ? z with { Subnets = z.Subnets.Select((sub, j) => j == 0 ? sub with { Id = first } : sub).ToList() } : z).ToList(),
            }).ToList(),
        };
        Assert.Contains($"subnet {first} is bound in zones 'us-east-1a' and 'us-east-1b'", LoadError(bad), StringComparison.Ordinal);
    }
}
