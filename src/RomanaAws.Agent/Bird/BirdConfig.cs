using System.Globalization;
using System.Text;
using RomanaAws.Core.Agents;
using RomanaAws.Core.Net;

namespace RomanaAws.Agent.Bird;

/// <summary>
/// Renders BIRD 2's configuration from a node's advertisement, BGP or OSPF. Pure and deterministic (golden-tested):
/// the same advertisement gives the same bytes, so the agent reconfigures BIRD only when something changed.
/// What it guarantees: the export filter accepts exactly the advertised prefixes, and only from our own static protocol;
/// nothing is imported, and BIRD has no kernel protocol (writes nothing to the kernel), unless <c>importRoutes</c>.
/// </summary>
public static class BirdConfig
{
    /// <summary>The OSPF protocol's name (also its label in /healthz and the metrics).</summary>
    public const string OspfProtocol = "romana_ospf";

    /// <summary>The BGP protocol's name for a neighbor (also its label in /healthz and the metrics).</summary>
    public static string ProtocolName(BgpNeighbor neighbor)
    {
        ArgumentNullException.ThrowIfNull(neighbor);
        return "router_" + neighbor.Address.Replace('.', '_').Replace(':', '_');
    }

    /// <param name="passwords">Each neighbor's password file → its content (read by the thin side).</param>
    /// <param name="logFile">Where BIRD logs (1 MiB, then one rotated file).</param>
    public static string Render(BgpAdvertisement bgp, IReadOnlyDictionary<string, string> passwords, string logFile, string node)
    {
        ArgumentNullException.ThrowIfNull(bgp);
        ArgumentNullException.ThrowIfNull(passwords);
        var text = new StringBuilder();
        void Line(string line = "") => text.Append(line).Append('\n');
        Common(Line, node, bgp.Rack, bgp.RouterId, logFile, bgp.Prefixes, bgp.ImportRoutes);
        if (bgp.Neighbors.Any(n => n.Bfd))
        {
            Bfd(Line, bgp.BfdIntervalMs, bgp.BfdMultiplier);
        }

        Line();
        Line("template bgp romana_router {");
        Line($"  local {bgp.RouterId} as {bgp.LocalAsn};");
        Line($"  hold time {bgp.HoldSeconds};");
        Line($"  keepalive time {bgp.KeepaliveSeconds};");
        Line("  connect retry time 5;");
        Line("  error wait time 5, 60;");
        Line(bgp.GracefulRestart ? $"  graceful restart on;\n  graceful restart time {bgp.RestartSeconds};" : "  graceful restart off;");
        Line($"  ipv4 {{ {Import(bgp.ImportRoutes)}; export filter romana_export; next hop self; }};");
        Line("}");
        foreach (var neighbor in bgp.Neighbors)
        {
            Line();
            Line($"protocol bgp {ProtocolName(neighbor)} from romana_router {{");
            Line($"  neighbor {neighbor.Address} as {neighbor.Asn};");
            if (neighbor.PasswordFile is { } file)
            {
                Line($"  password \"{passwords[file]}\";");
            }

            if (neighbor.Bfd)
            {
                Line("  bfd on;");
            }

            Line("}");
        }

        return text.ToString();
    }

    /// <summary>OSPF: the aggregates as external routes, hellos only on the node's interface in the rack's segment.</summary>
    public static string Render(OspfAdvertisement ospf, string logFile, string node)
    {
        ArgumentNullException.ThrowIfNull(ospf);
        var text = new StringBuilder();
        void Line(string line = "") => text.Append(line).Append('\n');
        Common(Line, node, ospf.Rack, ospf.RouterId, logFile, ospf.Prefixes, ospf.ImportRoutes);
        if (ospf.Bfd)
        {
            Bfd(Line, ospf.BfdIntervalMs, ospf.BfdMultiplier);
        }

        Line();
        Line($"# The aggregates enter OSPF as external routes (type 5, E2) with this node as ASBR; OSPF runs only on the interface in {ospf.Segment}.");
        Line("# Priority 0: a node is never the segment's designated router, so each node is adjacent to the routers only, not to every other node.");
        Line($"protocol ospf v2 {OspfProtocol} {{");
        Line($"  ipv4 {{ {Import(ospf.ImportRoutes)}; export filter romana_export; }};");
        Line($"  area {ospf.Area} {{");
        Line($"    interface {ospf.Segment} {{ priority 0; hello {ospf.HelloSeconds}; dead {ospf.DeadSeconds};{(ospf.Bfd ? " bfd on;" : string.Empty)} }};");
        Line("  };");
        Line("}");
        return text.ToString();
    }

    private static void Common(Action<string> line, string node, string rack, string routerId, string logFile, IReadOnlyList<Cidr> prefixes, bool importRoutes)
    {
        line($"# romana-aws agent: BIRD configuration of node {node} in rack {rack}, rendered from its desired state.");
        line("# Rewritten whenever the desired state changes and applied with 'birdc configure'; do not edit.");
        line($"router id {routerId};");
        line($"log \"{logFile}\" 1048576 \"{logFile}.old\" {{ info, warning, error, fatal, bug }};");
        line("timeformat protocol iso long;");
        line(string.Empty);
        line("protocol device { scan time 10; }");
        line(string.Empty);
        line("# The prefixes this node advertises: its group aggregates. Blackholes inside BIRD only: BIRD exports nothing to the kernel.");
        line("protocol static romana_groups {");
        line("  ipv4;");
        foreach (var prefix in prefixes)
        {
            line($"  route {prefix} blackhole;");
        }

        line("}");
        line(string.Empty);
        line("# Exactly the advertised prefixes, and only from romana_groups: nothing learned is passed on.");

        // An empty set is not BIRD syntax: the placeholder is a host route no group can be.
        line($"define ROMANA_PREFIXES = [ {(prefixes.Count == 0 ? "0.0.0.0/32" : string.Join(", ", prefixes))} ];");
        line("filter romana_export {");
        line("  if proto = \"romana_groups\" && net ~ ROMANA_PREFIXES then accept;");
        line("  reject;");
        line("}");
        if (importRoutes)
        {
            line(string.Empty);
            line("# Routes learned from the routers, except our own aggregates, go to the kernel's main table.");
            line("filter romana_import {");
            line("  if net ~ ROMANA_PREFIXES then reject;");
            line("  accept;");
            line("}");
            line("protocol kernel romana_kernel { ipv4 { import none; export where source ~ [ RTS_BGP, RTS_OSPF_EXT1, RTS_OSPF_EXT2, RTS_OSPF, RTS_OSPF_IA ]; }; merge paths on; }");
        }
    }

    private static void Bfd(Action<string> line, int intervalMs, int multiplier)
    {
        var interval = intervalMs.ToString(CultureInfo.InvariantCulture);
        line(string.Empty);
        line($"# BFD: a dead link or router is detected in {intervalMs * multiplier} ms ({interval} ms × {multiplier}).");
        line("protocol bfd romana_bfd {");
        line($"  interface \"*\" {{ min rx interval {interval} ms; min tx interval {interval} ms; multiplier {multiplier}; }};");
        line("}");
    }

    private static string Import(bool importRoutes) => importRoutes ? "import filter romana_import" : "import none";
}
