using RomanaAws.Core.Net;

namespace RomanaAws.Core.Tests.Net;

public sealed class CidrSpaceTests
{
    [Fact]
    public void FindFree_SkipsTakenRanges_ReturnsLowestAligned()
    {
        var parent = Cidr.Parse("10.0.0.0/16");
        var free = CidrSpace.FindFree(parent, 18, [Cidr.Parse("10.0.0.0/18"), Cidr.Parse("10.0.64.0/24")]);
        Assert.Equal(Cidr.Parse("10.0.128.0/18"), free);
    }

    [Fact]
    public void FindFree_NothingLeft_ReturnsNull()
    {
        var parent = Cidr.Parse("10.0.0.0/16");
        Assert.Null(CidrSpace.FindFree(parent, 17, [Cidr.Parse("10.0.0.0/17"), Cidr.Parse("10.0.200.0/24")]));
    }

    [Fact]
    public void Subtract_LeavesMinimalComplement()
    {
        var spare = CidrSpace.Subtract(Cidr.Parse("10.0.0.0/16"), [Cidr.Parse("10.0.0.0/18"), Cidr.Parse("10.0.64.0/18")]);
        Assert.Equal(["10.0.128.0/17"], spare.Select(c => c.ToString()));
        Assert.Empty(CidrSpace.Subtract(Cidr.Parse("10.0.0.0/16"), [Cidr.Parse("10.0.0.0/8")]));
    }
}
