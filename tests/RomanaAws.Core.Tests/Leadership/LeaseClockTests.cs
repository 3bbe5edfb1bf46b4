using Microsoft.Extensions.Time.Testing;
using RomanaAws.Core.Leadership;

namespace RomanaAws.Core.Tests.Leadership;

public sealed class LeaseClockTests
{
    [Fact]
    public void Valid_FromTheRenewalsSendTime_ForTheTtlLessTheMargin()
    {
        var time = new FakeTimeProvider();
        var clock = new LeaseClock(time, TimeSpan.FromMilliseconds(250));
        Assert.False(clock.Valid);
        var sent = time.GetTimestamp();
        time.Advance(TimeSpan.FromMilliseconds(400)); // the answer came back late: the lease still counts from the send
        clock.Renewed(sent, TimeSpan.FromSeconds(2));
        Assert.True(clock.Valid);
        Assert.Equal(TimeSpan.FromMilliseconds(1350), clock.Remaining);
        time.Advance(TimeSpan.FromMilliseconds(1349));
        Assert.True(clock.Valid);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(clock.Valid);
        Assert.Equal(TimeSpan.Zero, clock.Remaining);
    }

    [Fact]
    public void Paused_PastTheDeadline_InvalidOnResume_AnOlderRenewalNeverShortensIt_LostIsImmediate()
    {
        var time = new FakeTimeProvider();
        var clock = new LeaseClock(time, TimeSpan.Zero);
        var first = time.GetTimestamp();
        time.Advance(TimeSpan.FromSeconds(1));
        var second = time.GetTimestamp();
        clock.Renewed(second, TimeSpan.FromSeconds(2));
        clock.Renewed(first, TimeSpan.FromSeconds(2)); // a late answer to an earlier request
        time.Advance(TimeSpan.FromSeconds(1.5));
        Assert.True(clock.Valid);
        time.Advance(TimeSpan.FromSeconds(10)); // SIGSTOP for 10 s
        Assert.False(clock.Valid);
        clock.Renewed(time.GetTimestamp(), TimeSpan.FromSeconds(2));
        clock.Lost();
        Assert.False(clock.Valid);
    }
}
