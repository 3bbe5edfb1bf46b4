using RomanaAws.CniProtocol;

namespace RomanaAws.Cni.Tests.Protocol;

public sealed class HostVethNameTests
{
    [Theory]
    [InlineData("a", "eth0")]
    [InlineData("k8s_POD_web-0_default_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef_0", "eth0")]
    [InlineData("rcni-rcni-a", "fifteen-chars-x")]
    [InlineData("", "")]
    public void For_AnyInput_RmnPlus12LowerHexIs15Chars(string containerId, string ifName)
    {
        var name = HostVethName.For(containerId, ifName);
        Assert.Equal(15, name.Length);
        Assert.StartsWith("rmn", name, StringComparison.Ordinal);
        Assert.Equal(HostVethName.Prefix, name[..3]);
        Assert.All(name[3..], c => Assert.True(char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c), name));
    }

    [Fact]
    public void For_SameInput_SameName()
    {
        Assert.Equal(HostVethName.For("abc123", "eth0"), HostVethName.For("abc123", "eth0"));
    }

    [Fact]
    public void For_KnownInput_StableAcrossReleases()
    {
        // rmn + the first 6 bytes (big-endian) of XXH3-64("abc123/eth0") = 0x03a21b9b55004716, computed independently
        // with @node-rs/xxhash: the agent and every plugin version must agree on it.
        const string expected = "rmn03a21b9b5500";
        Assert.Equal(expected, HostVethName.For("abc123", "eth0"));
    }

    [Fact]
    public void For_DifferentContainerOrIfName_DifferentNames()
    {
        var names = new[]
        {
            HostVethName.For("abc123", "eth0"),
            HostVethName.For("abc124", "eth0"),
            HostVethName.For("abc123", "eth1"),
            HostVethName.For("abc123/eth", "0"),
            HostVethName.For("eth0", "abc123"),
        };
        Assert.Equal(names.Length, names.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void For_ManyPods_NoCollision()
    {
        var names = Enumerable.Range(0, 20_000).Select(i => HostVethName.For($"container-{i}", "eth0")).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(20_000, names.Count);
    }

    [Fact]
    public void For_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => HostVethName.For(null!, "eth0"));
        Assert.Throws<ArgumentNullException>(() => HostVethName.For("c", null!));
    }
}
