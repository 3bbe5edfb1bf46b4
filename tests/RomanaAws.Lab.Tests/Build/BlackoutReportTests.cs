using RomanaAws.Lab.Build;

namespace RomanaAws.Lab.Tests.Build;

public sealed class BlackoutReportTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    [Fact]
    public void From_NoLoss_ZeroBlackout()
    {
        var report = BlackoutReport.From(100, Enumerable.Range(1, 100).ToList(), Interval);
        Assert.Equal((100, 100, TimeSpan.Zero, 0, true), (report.Sent, report.Answered, report.Blackout, report.LostAfterRecovery, report.Recovered));
    }

    [Fact]
    public void From_OneGap_BlackoutIsTheGapTimesTheInterval()
    {
        var answered = Enumerable.Range(1, 100).Where(s => s is < 40 or > 74).ToList();
        var report = BlackoutReport.From(100, answered, Interval);
        Assert.Equal(TimeSpan.FromMilliseconds(35 * 20), report.Blackout);
        Assert.Equal((65, 0, true), (report.Answered, report.LostAfterRecovery, report.Recovered));
    }

    [Fact]
    public void From_StrayLossAfterTheBlackout_Counted()
    {
        var answered = Enumerable.Range(1, 100).Where(s => s is < 10 or > 30 && s != 80 && s != 95).ToList();
        var report = BlackoutReport.From(100, answered, Interval);
        Assert.Equal((TimeSpan.FromMilliseconds(21 * 20), 2), (report.Blackout, report.LostAfterRecovery));
    }

    [Fact]
    public void From_NeverRecovered_BlackoutToTheEnd()
    {
        var report = BlackoutReport.From(50, Enumerable.Range(1, 20).Append(999).ToList(), Interval);
        Assert.Equal((20, TimeSpan.FromMilliseconds(30 * 20), false), (report.Answered, report.Blackout, report.Recovered));
    }
}
