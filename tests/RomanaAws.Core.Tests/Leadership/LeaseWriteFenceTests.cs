using RomanaAws.Core.Leadership;

namespace RomanaAws.Core.Tests.Leadership;

public sealed class LeaseWriteFenceTests
{
    private static readonly LeaderToken TermOne = new("/romana-aws/c/leader", 10, "a");
    private static readonly LeaderToken TermTwo = new("/romana-aws/c/leader", 20, "a");

    private sealed class Leader : ILeaderFence
    {
        public LeaderToken? Current { get; set; }
    }

    [Fact]
    public void EnsureMayWrite_OpenWhileATokenIsHeld_RefusedWhenTheLeaseMayHaveRunOut()
    {
        var leader = new Leader { Current = TermOne };
        var fence = new LeaseWriteFence(leader);
        fence.EnsureMayWrite();
        leader.Current = null;
        Assert.Contains("lease may have run out", Assert.Throws<NotLeaderException>(fence.EnsureMayWrite).Message, StringComparison.Ordinal);
        Assert.Throws<NotLeaderException>(() => fence.Pin());
    }

    [Fact]
    public void Pin_ATermThatEnds_RefusesEvenWhenANewTermBegins()
    {
        var leader = new Leader { Current = TermOne };
        var fence = new LeaseWriteFence(leader);
        var pass = fence.Pin();
        pass.EnsureMayWrite();
        leader.Current = TermOne with { }; // the same term, read again
        pass.EnsureMayWrite();

        leader.Current = TermTwo;
        var refused = Assert.Throws<NotLeaderException>(pass.EnsureMayWrite);
        Assert.Contains("revision 10", refused.Message, StringComparison.Ordinal);
        Assert.Contains("revision 20", refused.Message, StringComparison.Ordinal);
        fence.EnsureMayWrite(); // unpinned (agents' claims): any current term
        fence.Pin().EnsureMayWrite(); // the next pass pins the new term
    }

    [Fact]
    public void OpenWriteFence_AlwaysAllows_PinIsItself()
    {
        OpenWriteFence.Instance.EnsureMayWrite();
        Assert.Same(OpenWriteFence.Instance, OpenWriteFence.Instance.Pin());
    }
}
