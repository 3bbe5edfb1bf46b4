using System.Net;
using RomanaAws.Agent.Ipam;
using RomanaAws.Core.Net;

namespace RomanaAws.Agent.Tests.Ipam;

public sealed class LeakSweepTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(2);

    private static PodAttachment Attachment(string container) =>
        new(new AttachmentKey(container, "eth0"), IPAddress.Parse("100.96.0.1"), Cidr.Parse("100.96.0.0/29"), "default", $"/run/netns/{container}");

    private static readonly PodAttachment A = Attachment("a");
    private static readonly PodAttachment B = Attachment("b");

    [Fact]
    public void Due_GoneLessThanGrace_NotDue()
    {
        var sweep = new LeakSweep(Grace);
        Assert.Empty(sweep.Due([A], _ => false, T0));
        Assert.Empty(sweep.Due([A], _ => false, T0 + Grace - TimeSpan.FromTicks(1)));
        Assert.Equal(Grace, sweep.Grace);
    }

    [Fact]
    public void Due_GoneForGrace_DueUntilReleased()
    {
        var sweep = new LeakSweep(Grace);
        Assert.Empty(sweep.Due([A, B], a => a == B, T0));
        Assert.Equal([A.Key], sweep.Due([A, B], a => a == B, T0 + Grace));
        Assert.Equal([A.Key], sweep.Due([A, B], a => a == B, T0 + Grace + TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void Due_AliveNeverDue()
    {
        var sweep = new LeakSweep(Grace);
        Assert.Empty(sweep.Due([A], _ => true, T0));
        Assert.Empty(sweep.Due([A], _ => true, T0 + (10 * Grace)));
    }

    [Fact]
    public void Due_AliveAgain_ForgottenAndGraceRestarts()
    {
        var sweep = new LeakSweep(Grace);
        Assert.Empty(sweep.Due([A], _ => false, T0));
        Assert.Empty(sweep.Due([A], _ => true, T0 + TimeSpan.FromMinutes(1)));
        var goneAgain = T0 + TimeSpan.FromMinutes(3);
        Assert.Empty(sweep.Due([A], _ => false, goneAgain));
        Assert.Empty(sweep.Due([A], _ => false, goneAgain + Grace - TimeSpan.FromSeconds(1)));
        Assert.Equal([A.Key], sweep.Due([A], _ => false, goneAgain + Grace));
    }

    [Fact]
    public void Due_AttachmentDisappears_ForgottenAndGraceRestartsWhenItReturns()
    {
        var sweep = new LeakSweep(Grace);
        Assert.Empty(sweep.Due([A, B], _ => false, T0));

        // A was released (DEL) before its grace ran out; a new attachment under the same key starts afresh.
        Assert.Empty(sweep.Due([B], _ => false, T0 + TimeSpan.FromMinutes(1)));
        var back = T0 + Grace;
        Assert.Equal([B.Key], sweep.Due([A, B], _ => false, back));
        Assert.Empty(sweep.Due([A], _ => false, back + Grace - TimeSpan.FromSeconds(1)));
        Assert.Equal([A.Key], sweep.Due([A], _ => false, back + Grace));
    }
}
