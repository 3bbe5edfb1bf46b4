using System.Globalization;
using System.Text;

namespace RomanaAws.Agent.Service;

/// <summary>The agent's <c>/metrics</c> in the Prometheus text format (0.0.4), from its status. Pure.</summary>
public static class AgentMetrics
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Render(AgentStatus status, bool healthy)
    {
        ArgumentNullException.ThrowIfNull(status);
        var text = new StringBuilder();
        void Metric(string name, string type, string help, IEnumerable<(string Labels, double Value)> samples)
        {
            text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n");
            foreach (var (labels, value) in samples)
            {
                text.Append(CultureInfo.InvariantCulture, $"{name}{labels} {value}\n");
            }
        }

        Metric("romana_agent_healthy", "gauge", "1 when /healthz answers 200.", [(string.Empty, healthy ? 1 : 0)]);
        Metric("romana_agent_routes", "gauge", "Kernel routes the agent keeps.", [(string.Empty, status.Routes)]);
        Metric("romana_agent_policy_rules", "gauge", "iptables rules of the compiled NetworkPolicy.", [(string.Empty, status.PolicyRules)]);
        if (status.Routing is { } bgp)
        {
            Metric("romana_agent_router_session_up", "gauge", "1 when BIRD's BGP session with the router is Established, or its OSPF adjacency Full.",
                bgp.Sessions.Select(s => (Labels(s), s.Established ? 1.0 : 0.0)));
            Metric("romana_agent_exported_prefixes", "gauge", "Prefixes BIRD exports to the router (BGP) or into OSPF.",
                bgp.Sessions.Select(s => (Labels(s), (double)(bgp.Exported.TryGetValue(s.Protocol, out var p) ? p.Count : 0))));
            Metric("romana_agent_bird_reconfigurations_total", "counter", "Times the agent gave BIRD a changed configuration.", [(string.Empty, bgp.Reconfigurations)]);
        }

        return text.ToString();
    }

    // Protocol names and addresses carry no quotes or backslashes, so no escaping is needed.
    private static string Labels(Bird.RouterSession session) => $"{{protocol=\"{session.Protocol}\",neighbor=\"{session.Neighbor}\"}}";
}
