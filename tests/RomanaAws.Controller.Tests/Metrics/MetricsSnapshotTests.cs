using RomanaAws.Controller.Metrics;
using RomanaAws.Controller.Status;

namespace RomanaAws.Controller.Tests.Metrics;

public sealed class MetricsSnapshotTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Samples_LeaderChanges_TheTermsBegunSinceTheLastPublish(int terms)
    {
        var at = DateTimeOffset.Parse("2026-12-02T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var samples = MetricsSnapshot.Samples("c1", new ControllerStatus(TimeProvider.System), [], 0, 0, at, terms);
        var leader = Assert.Single(samples, s => s.MetricName == MetricNames.LeaderChanges);
        Assert.Equal(terms, leader.Value);
        Assert.Equal("Count", leader.Unit);
        Assert.Contains(MetricNames.LeaderChanges, MetricNames.All);
    }
}
