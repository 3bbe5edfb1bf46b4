using System.Net;
using RomanaAws.Core.Net;

namespace RomanaAws.Core.Tests.Net;

public sealed class CidrTests
{
    [Theory]
    [InlineData("10.0.0.0/16", "10.0.0.0", 16)]
    [InlineData("100.96.0.0/11", "100.96.0.0", 11)]
    [InlineData("0.0.0.0/0", "0.0.0.0", 0)]
    [InlineData("192.0.2.7/32", "192.0.2.7", 32)]
    [InlineData("fd00::/48", "fd00::", 48)]
    public void Parse_ValidPrefix_RoundTrips(string text, string address, int prefix)
    {
        var cidr = Cidr.Parse(text);
        Assert.Equal(IPAddress.Parse(address), cidr.NetworkAddress);
        Assert.Equal(prefix, cidr.PrefixLength);
        Assert.Equal(text, cidr.ToString());
    }

    [Fact]
    public void TryParse_HostBitsSet_SuggestsNetwork()
    {
        Assert.False(Cidr.TryParse("10.0.0.1/16", out _, out var error));
        Assert.Contains("host bits set", error, StringComparison.Ordinal);
        Assert.Contains("did you mean 10.0.0.0/16?", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.0.0", "no prefix length")]
    [InlineData("10.0.0.0/33", "from 0 to 32")]
    [InlineData("10.0.0.0/-1", "from 0 to 32")]
    [InlineData("10.0.0.0/016", "from 0 to 32")]
    [InlineData("10.0/16", "not an IPv4 dotted quad")]
    [InlineData("010.0.0.0/8", "not an IPv4 dotted quad")]
    [InlineData("10.0.0.256/32", "not an IPv4 dotted quad")]
    [InlineData("", "empty")]
    [InlineData("fd00::/129", "from 0 to 128")]
    public void TryParse_Malformed_SaysWhy(string text, string expected)
    {
        Assert.False(Cidr.TryParse(text, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Contains_And_Overlaps_FollowPrefixes()
    {
        var net = Cidr.Parse("100.96.0.0/11");
        Assert.True(net.Contains(Cidr.Parse("100.127.255.240/28")));
        Assert.False(net.Contains(Cidr.Parse("100.128.0.0/28")));
        Assert.True(net.Contains(IPAddress.Parse("100.100.1.1")));
        Assert.False(net.Contains(IPAddress.Parse("fd00::1")));
        Assert.True(net.Overlaps(Cidr.Parse("100.0.0.0/8")));
        Assert.False(Cidr.Parse("10.0.0.0/25").Overlaps(Cidr.Parse("10.0.0.128/25")));
        Assert.False(Cidr.Parse("10.0.0.0/8").Overlaps(Cidr.Parse("fd00::/8")));
    }

    [Fact]
    public void Split_GivesAlignedChildrenInOrder()
    {
        var children = Cidr.Parse("10.0.0.0/22").Split(24).Select(c => c.ToString()).ToList();
        Assert.Equal(["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"], children);
        Assert.Equal(Cidr.Parse("10.0.2.0/24"), Cidr.Parse("10.0.0.0/22").Child(24, 2));
        Assert.Equal((UInt128)2, Cidr.Parse("10.0.0.0/22").IndexOf(Cidr.Parse("10.0.2.0/24")));
        Assert.Throws<ArgumentOutOfRangeException>(() => Cidr.Parse("10.0.0.0/22").Split(21).ToList());
    }

    [Fact]
    public void Aggregate_MergesSiblingsAndDropsContained()
    {
        var merged = Cidr.Aggregate([
            Cidr.Parse("10.0.1.0/24"), Cidr.Parse("10.0.0.0/24"), Cidr.Parse("10.0.2.0/23"),
            Cidr.Parse("10.0.2.128/25"), Cidr.Parse("10.0.8.0/24"),
        ]);
        Assert.Equal(["10.0.0.0/22", "10.0.8.0/24"], merged.Select(c => c.ToString()));
    }

    [Fact]
    public void Size_And_Enumeration_CoverEveryAddress()
    {
        var cidr = Cidr.Parse("192.0.2.8/29");
        Assert.Equal((UInt128)8, cidr.AddressCount);
        Assert.Equal(Enumerable.Range(8, 8).Select(i => $"192.0.2.{i}"), cidr.Addresses().Select(a => a.ToString()));
        Assert.Equal(IPAddress.Parse("192.0.2.15"), cidr.LastAddress);
        Assert.Equal(IPAddress.Parse("192.0.2.11"), cidr.AddressAt(3));
    }

    [Fact]
    public void IPv6_SplitsAndContains()
    {
        var net = Cidr.Parse("fd00:1::/64");
        var child = net.Child(96, 5);
        Assert.Equal("fd00:1::5:0:0/96", child.ToString());
        Assert.True(net.Contains(child));
        Assert.Equal(net.ToIPNetwork(), IPNetwork.Parse("fd00:1::/64"));
    }

    [Fact]
    public void CompareTo_OrdersByAddressThenLength()
    {
        var sorted = new[] { Cidr.Parse("10.0.1.0/24"), Cidr.Parse("10.0.0.0/24"), Cidr.Parse("10.0.0.0/16") }.Order().Select(c => c.ToString());
        Assert.Equal(["10.0.0.0/16", "10.0.0.0/24", "10.0.1.0/24"], sorted);
    }
}
