using System.Text.Json;
using RomanaAws.Agent.Policy;
using RomanaAws.Agent.Routing;
using RomanaAws.Core.Net;

namespace RomanaAws.Agent.Kernel;

/// <summary>
/// The thin layer over the kernel tools: forwarding, the agent's own routes (marked by protocol number), ipsets and
/// ROMANA- chains. Nothing here decides; it reads and writes what the pure parts computed.
/// </summary>
public sealed class LinuxKernel(CommandRunner run)
{
    public async Task EnableForwardingAsync(CancellationToken cancellationToken) =>
        await run.RunCheckedAsync("sysctl", ["-q", "-w", "net.ipv4.ip_forward=1"], null, cancellationToken);

    public async Task<bool> ForwardingEnabledAsync(CancellationToken cancellationToken) =>
        (await run.RunCheckedAsync("sysctl", ["-n", "net.ipv4.ip_forward"], null, cancellationToken)).Trim() == "1";

    /// <summary>The agent's routes in the main table (only those with its protocol number).</summary>
    public async Task<IReadOnlyList<KernelRoute>> RoutesAsync(CancellationToken cancellationToken)
    {
        var json = await run.RunCheckedAsync("ip", ["-json", "route", "show", "proto", RouteDiff.Protocol.ToString(System.Globalization.CultureInfo.InvariantCulture)], null, cancellationToken);
        using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(json) ? "[]" : json);
        var routes = new List<KernelRoute>();
        foreach (var route in document.RootElement.EnumerateArray())
        {
            var dst = route.GetProperty("dst").GetString();
            if (dst is null || !Cidr.TryParse(dst.Contains('/', StringComparison.Ordinal) ? dst : $"{dst}/32", out var cidr))
            {
                continue;
            }

            var unreachable = route.TryGetProperty("type", out var type) && type.GetString() == "unreachable";
            routes.Add(new KernelRoute(cidr, unreachable ? null : route.TryGetProperty("gateway", out var gw) ? gw.GetString() : null));
        }

        return routes;
    }

    public async Task ApplyRoutesAsync(RouteChanges changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (!changes.IsEmpty)
        {
            await run.RunCheckedAsync("ip", ["-batch", "-"], changes.ToIpBatch(RouteDiff.Protocol), cancellationToken);
        }
    }

    /// <summary>
    /// Loads a compiled policy: sets are filled beside their live twins and swapped in whole; the rules are checked
    /// with <c>iptables-restore --test</c>, then loaded with <c>--noflush</c> in one transaction (only ROMANA- chains
    /// change); the FORWARD jump is ensured; ROMANA- chains and romana- sets no longer wanted are removed last. If the
    /// rules fail their check, the rules in force stay as they were (their sets carry the new membership).
    /// </summary>
    public async Task ApplyPolicyAsync(CompiledPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        // Sets first (the rules refer to them; each is swapped in whole), then the rules, checked before they load.
        await run.RunCheckedAsync("ipset", ["restore"], policy.IpsetRestore, cancellationToken);
        await run.RunCheckedAsync("iptables-restore", ["--test", "--noflush"], policy.IptablesRestore, cancellationToken);
        await run.RunCheckedAsync("iptables-restore", ["--noflush"], policy.IptablesRestore, cancellationToken);
        if (!(await run.RunAsync("iptables", ["-C", "FORWARD", "-j", PolicyCompiler.ForwardChain], null, cancellationToken)).Ok)
        {
            await run.RunCheckedAsync("iptables", ["-I", "FORWARD", "1", "-j", PolicyCompiler.ForwardChain], null, cancellationToken);
        }

        var rules = await run.RunCheckedAsync("iptables", ["-S"], null, cancellationToken);
        foreach (var stale in rules.Split('\n').Where(l => l.StartsWith("-N ROMANA-", StringComparison.Ordinal)).Select(l => l[3..].Trim()).Where(c => !policy.Chains.Contains(c)))
        {
            await run.RunCheckedAsync("iptables", ["-F", stale], null, cancellationToken);
            await run.RunCheckedAsync("iptables", ["-X", stale], null, cancellationToken);
        }

        var sets = await run.RunCheckedAsync("ipset", ["list", "-n"], null, cancellationToken);
        foreach (var stale in sets.Split('\n').Select(s => s.Trim()).Where(s => s.StartsWith("romana-", StringComparison.Ordinal) && !policy.Sets.Contains(s)))
        {
            await run.RunAsync("ipset", ["destroy", stale], null, cancellationToken);
        }
    }

    /// <summary>Whether the live ROMANA- rules are exactly the compiled ones (tampering shows here).</summary>
    public async Task<bool> PolicyInSyncAsync(CompiledPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var live = (await run.RunCheckedAsync("iptables", ["-S"], null, cancellationToken)).Split('\n')
            .Where(l => l.StartsWith("-A ROMANA-", StringComparison.Ordinal)).Select(Normalize).ToList();
        var want = policy.IptablesRestore.Split('\n').Where(l => l.StartsWith("-A ROMANA-", StringComparison.Ordinal)).Select(Normalize).ToList();
        var jump = (await run.RunAsync("iptables", ["-C", "FORWARD", "-j", PolicyCompiler.ForwardChain], null, cancellationToken)).Ok;
        return jump && live.Count == want.Count;
    }

    private static string Normalize(string rule) => rule.Trim();
}
