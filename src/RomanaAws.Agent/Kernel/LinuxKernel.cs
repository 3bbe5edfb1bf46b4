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
    /// <summary>
    /// Turns IPv4 forwarding on when it is off. Only then is /proc/sys written, which needs a privileged container: the
    /// kops addon turns it on from a privileged init container, so the agent itself runs with NET_ADMIN and NET_RAW only.
    /// </summary>
    public async Task EnableForwardingAsync(CancellationToken cancellationToken)
    {
        if (await ForwardingEnabledAsync(cancellationToken))
        {
            return;
        }

        try
        {
            await run.RunCheckedAsync("sysctl", ["-q", "-w", "net.ipv4.ip_forward=1"], null, cancellationToken);
        }
        catch (KernelException ex)
        {
            throw new KernelException($"IP forwarding is off and cannot be turned on here ({ex.Message}); turn it on for the node (the kops addon's privileged init container enable-forwarding does, or a sysctl in the node's image), or run the agent privileged", ex);
        }
    }

    public async Task<bool> ForwardingEnabledAsync(CancellationToken cancellationToken) =>
        (await run.RunCheckedAsync("sysctl", ["-n", "net.ipv4.ip_forward"], null, cancellationToken)).Trim() == "1";

    /// <summary>The names of every link in the agent's network namespace (pod host veths among them).</summary>
    public async Task<IReadOnlySet<string>> LinkNamesAsync(CancellationToken cancellationToken)
    {
        var json = await run.RunCheckedAsync("ip", ["-json", "link", "show"], null, cancellationToken);
        using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(json) ? "[]" : json);
        return document.RootElement.EnumerateArray().Select(l => l.TryGetProperty("ifname", out var n) ? n.GetString() : null).OfType<string>().ToHashSet(StringComparer.Ordinal);
    }

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
    /// <param name="previous">What the last load applied: when given, only changed sets are swapped and the rules are
    /// reloaded only if they changed (an incremental sync); when null, everything is loaded (a full sync).</param>
    public async Task ApplyPolicyAsync(CompiledPolicy policy, CancellationToken cancellationToken, CompiledPolicy? previous = null)
    {
        ArgumentNullException.ThrowIfNull(policy);

        // Nothing changed since the previous load: nothing to write.
        if (previous is not null && previous.IpsetRestore == policy.IpsetRestore && previous.IptablesRestore == policy.IptablesRestore)
        {
            return;
        }

        // Sets first (the rules refer to them; each is swapped in whole), then the rules, checked before they load.
        var sets = previous is null ? policy.IpsetRestore : SetChanges(policy, previous);
        if (sets.Length > 0)
        {
            await run.RunCheckedAsync("ipset", ["restore"], sets, cancellationToken);
        }

        if (previous is not null && previous.IptablesRestore == policy.IptablesRestore && previous.Sets.SequenceEqual(policy.Sets))
        {
            return;
        }

        // A full load checks the rules first. An incremental one does not: iptables-restore commits the table in one
        // transaction (legacy and nft alike), so a load that fails leaves the rules in force as they were, and the
        // check would only double the cost of the change (a new policy reached the kernel in ~0.4 s, half of it here).
        if (previous is null)
        {
            await run.RunCheckedAsync("iptables-restore", ["--test", "--noflush"], policy.IptablesRestore, cancellationToken);
        }

        await run.RunCheckedAsync("iptables-restore", ["--noflush"], policy.IptablesRestore, cancellationToken);
        if (previous is not null && !previous.Chains.Except(policy.Chains).Any() && !previous.Sets.Except(policy.Sets).Any())
        {
            // Only chains and sets were added since the last load: nothing is stale, and the FORWARD jump is the full
            // sync's to repair.
            return;
        }

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

        var liveSets = await run.RunCheckedAsync("ipset", ["list", "-n"], null, cancellationToken);
        foreach (var stale in liveSets.Split('\n').Select(s => s.Trim()).Where(s => s.StartsWith("romana-", StringComparison.Ordinal) && !policy.Sets.Contains(s)))
        {
            await run.RunAsync("ipset", ["destroy", stale], null, cancellationToken);
        }
    }

    /// <summary>
    /// Incremental set changes: a new set is built and swapped in whole; a known one gets only its added and deleted
    /// members (each <c>add</c>/<c>del</c> is atomic), so one new block does not rewrite a set of thousands.
    /// </summary>
    private static string SetChanges(CompiledPolicy policy, CompiledPolicy previous)
    {
        var text = new System.Text.StringBuilder();
        foreach (var (name, entries) in policy.SetEntries.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            if (!previous.SetEntries.TryGetValue(name, out var old))
            {
                text.Append(policy.SetScripts[name]);
                continue;
            }

            var had = old.ToHashSet(StringComparer.Ordinal);
            var has = entries.ToHashSet(StringComparer.Ordinal);
            foreach (var gone in old.Where(e => !has.Contains(e)))
            {
                text.Append($"del {name} {gone.Replace(" nomatch", string.Empty, StringComparison.Ordinal)} -exist\n");
            }

            foreach (var added in entries.Where(e => !had.Contains(e)))
            {
                text.Append($"add {name} {added} -exist\n");
            }
        }

        return text.ToString();
    }
}
