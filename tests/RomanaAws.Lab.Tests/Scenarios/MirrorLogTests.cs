using RomanaAws.Lab.Scenarios;

namespace RomanaAws.Lab.Tests.Scenarios;

public sealed class MirrorLogTests
{
    [Fact]
    public void Delays_OnlyTimedRouteChanges()
    {
        string[] log =
        [
            "03:01:29.100 applied 40 route and 11 port change(s), 812 ms after the simulator's write",
            "03:01:31.000 applied 0 route and 1 port change(s)",
            "router follower: Connection refused",
            "03:01:42.250 applied 3 route and 0 port change(s), 46 ms after the simulator's write",
        ];
        Assert.Equal([812.0, 46.0], MirrorLog.Delays(log));
    }
}
