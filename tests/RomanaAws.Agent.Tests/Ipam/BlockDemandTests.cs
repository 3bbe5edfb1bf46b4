using RomanaAws.Agent.Ipam;
using RomanaAws.Core.Net;

namespace RomanaAws.Agent.Tests.Ipam;

public sealed class BlockDemandTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static EmptyBlock Empty(string cidr, double minutesAgo) => new(Cidr.Parse(cidr), Now - TimeSpan.FromMinutes(minutesAgo));

    private static PoolDemand Owner(string name, int blocks, int free, int pods, params EmptyBlock[] empty) => new(new AddressPool(name), blocks, 16, free, pods, empty);

    private static AddressPool[] Pools(params string[] owners) => owners.Select(o => new AddressPool(o)).ToArray();

    [Theory]
    [InlineData(16, 0.25, 4)]
    [InlineData(4, 0.25, 1)]
    [InlineData(1, 0.25, 1)]
    [InlineData(256, 0.25, 64)]
    [InlineData(16, 0, 1)]
    public void Threshold_QuarterOfABlock_AtLeastOne(int blockSize, double watermark, int expected) =>
        Assert.Equal(expected, new BlockDemand(watermark).Threshold(blockSize));

    [Theory]
    [InlineData(3, true)]
    [InlineData(0, true)]
    [InlineData(4, false)]
    [InlineData(12, false)]
    public void Decide_FreeBelowWatermark_ClaimsAhead(int free, bool claims)
    {
        var decision = new BlockDemand().Decide([Owner("ns", 1, free, 16 - free)], Now);
        Assert.Equal(claims ? Pools("ns") : [], decision.Claim);
        Assert.Empty(decision.GiveBack);
    }

    [Fact]
    public void Decide_AddWaitingForNewOwner_Claims_ButNotWhileAClaimIsInFlight()
    {
        var demand = new BlockDemand();
        Assert.Equal(Pools("kube-system"), demand.Decide([new PoolDemand(new AddressPool("kube-system"), 0, 16, 0, 0, [], Waiting: true)], Now).Claim);
        Assert.True(demand.Decide([new PoolDemand(new AddressPool("kube-system"), 0, 16, 0, 0, [], Waiting: true, ClaimPending: true)], Now).IsEmpty);
        Assert.True(demand.Decide([new PoolDemand(new AddressPool("idle"), 0, 16, 0, 0, [])], Now).IsEmpty);
    }

    [Fact]
    public void Decide_EmptyPastGrace_GivenBack_YoungerOneKept()
    {
        // Two empty blocks past/under the 5-minute grace, one busy block with plenty free.
        var decision = new BlockDemand().Decide([Owner("ns", 3, 40, 8, Empty("10.0.0.16/28", 6), Empty("10.0.0.32/28", 4.9))], Now);
        Assert.Equal([Cidr.Parse("10.0.0.16/28")], decision.GiveBack);
        Assert.Empty(decision.Claim);
    }

    [Fact]
    public void Decide_GivingBackWouldDropBelowWatermark_Kept()
    {
        // 2 free in the busy block + 16 in the empty one: giving it back leaves 2 < 4, which would claim again.
        var decision = new BlockDemand().Decide([Owner("ns", 2, 18, 14, Empty("10.0.0.16/28", 60))], Now);
        Assert.True(decision.IsEmpty);
    }

    [Fact]
    public void Decide_OwnerWithLivePods_NeverLosesItsLastBlock()
    {
        var demand = new BlockDemand(lowWatermark: 0);
        // Inconsistent input (live pods, its one block reported empty): still kept.
        Assert.True(demand.Decide([Owner("ns", 1, 16, 1, Empty("10.0.0.0/28", 60))], Now).IsEmpty);
    }

    [Fact]
    public void Decide_OwnerWithoutPods_GivesBackEveryBlockPastGrace_OldestFirst()
    {
        var decision = new BlockDemand().Decide([Owner("gone", 3, 48, 0, Empty("10.0.0.32/28", 10), Empty("10.0.0.0/28", 30), Empty("10.0.0.16/28", 1))], Now);
        Assert.Equal([Cidr.Parse("10.0.0.0/28"), Cidr.Parse("10.0.0.32/28")], decision.GiveBack);
    }

    [Fact]
    public void Decide_ShortGrace_SeveralOwners_DecidedIndependently()
    {
        var decision = new BlockDemand(grace: TimeSpan.FromSeconds(30)).Decide(
            [Owner("b", 1, 1, 15), Owner("a", 2, 20, 12, Empty("10.0.1.0/28", 1)), Owner("c", 1, 10, 6)], Now);
        Assert.Equal(Pools("b"), decision.Claim);
        Assert.Equal([Cidr.Parse("10.0.1.0/28")], decision.GiveBack);
    }

    [Fact]
    public void Decide_OwnerNeedsAClaim_GivesNothingBack()
    {
        var decision = new BlockDemand().Decide([new PoolDemand(new AddressPool("ns"), 2, 16, 0, 16, [Empty("10.0.0.0/28", 60)], Waiting: true)], Now);
        Assert.Equal(Pools("ns"), decision.Claim);
        Assert.Empty(decision.GiveBack);
    }

    [Fact]
    public void Decide_OneOwnerInTwoNetworks_EachPoolClaimsOnItsOwnFree()
    {
        // The same namespace in the default network (plenty free) and in network "b" (below the watermark): only "b" claims,
        // and the default pool's empty block past grace goes back on its own pool's reckoning.
        var decision = new BlockDemand().Decide(
            [Owner("ns", 2, 30, 2, Empty("10.0.0.16/28", 60)), new PoolDemand(new AddressPool("ns", "b"), 1, 16, 2, 14, [])], Now);
        Assert.Equal([new AddressPool("ns", "b")], decision.Claim);
        Assert.Equal([Cidr.Parse("10.0.0.16/28")], decision.GiveBack);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1)]
    [InlineData(double.NaN)]
    public void Constructor_BadWatermark_Refused(double watermark) =>
        Assert.Contains("fraction of a block", Assert.Throws<ArgumentOutOfRangeException>(() => new BlockDemand(watermark)).Message, StringComparison.Ordinal);
}
