using RomanaAws.Core.Health;
using RomanaAws.Core.Routing;

namespace RomanaAws.Core.Tests.Health;

public sealed class FailoverDamperTests
{
    private static readonly GroupKey Group = new("pods", "us-east-1a", "subnet-1", 0);
    private static readonly DateTimeOffset T0 = DateTimeOffset.UnixEpoch;

    [Fact]
    public void Questionable_WaitsForTheHoldTime_FailedDoesNot()
    {
        var damper = new FailoverDamper(TimeSpan.FromSeconds(10), 5, TimeSpan.FromMinutes(10));
        Assert.True(damper.MayMove(Group, TargetHealth.Questionable, T0));
        damper.Record(Group, T0);
        Assert.False(damper.MayMove(Group, TargetHealth.Questionable, T0.AddSeconds(9)));
        Assert.True(damper.MayMove(Group, TargetHealth.Failed, T0.AddSeconds(1)));
        Assert.True(damper.MayMove(Group, TargetHealth.Questionable, T0.AddSeconds(10)));
    }

    [Fact]
    public void CapPerWindow_StopsMoving_ThenAllowsAgain()
    {
        var damper = new FailoverDamper(TimeSpan.Zero, 3, TimeSpan.FromMinutes(10));
        for (var i = 0; i < 3; i++)
        {
            damper.Record(Group, T0.AddMinutes(i));
        }

        Assert.False(damper.MayMove(Group, TargetHealth.Failed, T0.AddMinutes(3)));
        Assert.Equal([Group], damper.Capped(T0.AddMinutes(3)));
        Assert.True(damper.MayMove(Group, TargetHealth.Failed, T0.AddMinutes(10).AddSeconds(1)));
    }
}
