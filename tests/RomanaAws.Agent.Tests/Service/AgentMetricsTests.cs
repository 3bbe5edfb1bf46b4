using RomanaAws.Agent.Bird;
using RomanaAws.Agent.Service;

namespace RomanaAws.Agent.Tests.Service;

public sealed class AgentMetricsTests
{
    [Fact]
    public void Render_BgpMode_OneSeriesPerSessionWithItsExportCount()
    {
        var status = AgentStatus.Initial with
        {
            Routes = 7,
            Routing = new RoutingStatus(
                [new RouterSession("router_10_1_0_1", "10.1.0.1", "up", "Established"), new RouterSession("router_10_1_0_2", "10.1.0.2", "start", "Active")],
                new Dictionary<string, IReadOnlyList<string>> { ["router_10_1_0_1"] = ["100.96.0.0/20"], ["router_10_1_0_2"] = [] },
                2),
        };
        var text = AgentMetrics.Render(status, healthy: true);
        Assert.Contains("romana_agent_healthy 1\n", text, StringComparison.Ordinal);
        Assert.Contains("romana_agent_routes 7\n", text, StringComparison.Ordinal);
        Assert.Contains("romana_agent_router_session_up{protocol=\"router_10_1_0_1\",neighbor=\"10.1.0.1\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("romana_agent_router_session_up{protocol=\"router_10_1_0_2\",neighbor=\"10.1.0.2\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("romana_agent_exported_prefixes{protocol=\"router_10_1_0_1\",neighbor=\"10.1.0.1\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("romana_agent_bird_reconfigurations_total 2\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_VpcMode_NoBgpSeries_AndHealthNeedsAnEstablishedSessionOnlyInBgpMode()
    {
        Assert.DoesNotContain("router_session", AgentMetrics.Render(AgentStatus.Initial, healthy: false), StringComparison.Ordinal);
        var now = DateTimeOffset.UnixEpoch;
        var good = new AgentStatus(true, true, true, now, null, 1, 0, 0);
        Assert.True(good.Healthy(now, TimeSpan.FromSeconds(90)));
        var down = good with { Routing = new RoutingStatus([new RouterSession("router_10_1_0_1", "10.1.0.1", "start", "Active")], new Dictionary<string, IReadOnlyList<string>>(), 1) };
        Assert.False(down.Healthy(now, TimeSpan.FromSeconds(90)));
    }
}
