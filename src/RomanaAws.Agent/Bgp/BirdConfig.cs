using System.Globalization;
using System.Text;
using RomanaAws.Core.Agents;

namespace RomanaAws.Agent.Bgp;

/// <summary>
/// Renders BIRD 2's configuration from a node's <see cref="BgpAdvertisement"/>. Pure and deterministic (golden-tested):
/// the same advertisement gives the same bytes, so the agent reconfigures BIRD only when something changed.
/// What it guarantees: the export filter accepts exactly the advertised prefixes, and only from our own static protocol;
/// nothing is imported, and BIRD has no kernel protocol (writes nothing to the kernel), unless <c>importRoutes</c>.
/// </summary>
public static class BirdConfig
{
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
        var prefixes = bgp.Prefixes.ToList();

        Line($"# romana-aws agent: BIRD configuration of node {node} in rack {bgp.Rack}, rendered from its desired state.");
        Line("# Rewritten whenever the desired state changes and applied with 'birdc configure'; do not edit.");
        Line($"router id {bgp.RouterId};");
        Line($"log \"{logFile}\" 1048576 \"{logFile}.old\" {{ info, warning, error, fatal, bug }};");
        Line("timeformat protocol iso long;");
        Line();
        Line("protocol device { scan time 10; }");
        Line();
        Line("# The prefixes this node advertises: its group aggregates. Blackholes inside BIRD only: BIRD exports nothing to the kernel.");
        Line("protocol static romana_groups {");
        Line("  ipv4;");
        foreach (var prefix in prefixes)
        {
            Line($"  route {prefix} blackhole;");
        }

        Line("}");
        Line();
        Line("# Exactly the advertised prefixes, and only from romana_groups: nothing learned is passed on.");
        // An empty set is not BIRD syntax: the placeholder is a host route no group can be.
        Line($"define ROMANA_PREFIXES = [ {(prefixes.Count == 0 ? "0.0.0.0/32" : string.Join(", ", prefixes))} ];");
        Line("filter romana_export {");
        Line("  if proto = \"romana_groups\" && net ~ ROMANA_PREFIXES then accept;");
        Line("  reject;");
        Line("}");
        if (bgp.ImportRoutes)
        {
            Line();
            Line("# Routes learned from the routers, except our own aggregates, go to the kernel's main table.");
            Line("filter romana_import {");
            Line("  if net ~ ROMANA_PREFIXES then reject;");
            Line("  accept;");
            Line("}");
            Line("protocol kernel romana_kernel { ipv4 { import none; export where source = RTS_BGP; }; merge paths on; }");
        }

        if (bgp.Neighbors.Any(n => n.Bfd))
        {
            Line();
            var interval = bgp.BfdIntervalMs.ToString(CultureInfo.InvariantCulture);
            Line($"# BFD: a dead link or router is detected in {bgp.BfdIntervalMs * bgp.BfdMultiplier} ms ({interval} ms × {bgp.BfdMultiplier}).");
            Line("protocol bfd romana_bfd {");
            Line($"  interface \"*\" {{ min rx interval {interval} ms; min tx interval {interval} ms; multiplier {bgp.BfdMultiplier}; }};");
            Line("}");
        }

        Line();
        Line("template bgp romana_router {");
        Line($"  local {bgp.RouterId} as {bgp.LocalAsn};");
        Line($"  hold time {bgp.HoldSeconds};");
        Line($"  keepalive time {bgp.KeepaliveSeconds};");
        Line("  connect retry time 5;");
        Line("  error wait time 5, 60;");
        Line(bgp.GracefulRestart ? $"  graceful restart on;\n  graceful restart time {bgp.RestartSeconds};" : "  graceful restart off;");
        var import = bgp.ImportRoutes ? "import filter romana_import" : "import none";
        Line($"  ipv4 {{ {import}; export filter romana_export; next hop self; }};");
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
}
