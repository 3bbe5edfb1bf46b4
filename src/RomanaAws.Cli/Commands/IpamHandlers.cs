using RomanaAws.Cli.Output;
using RomanaAws.Core.Configuration;
using RomanaAws.Core.Ipam;
using RomanaAws.Core.Net;
using RomanaAws.Core.Persistence;
using RomanaAws.Core.Topology;

namespace RomanaAws.Cli.Commands;

/// <summary>The testable bodies of the <c>ipam</c> commands: each returns an exit code.</summary>
internal static class IpamHandlers
{
    public static async Task<int> PlanAsync(CliContext context, FileInfo config, FileInfo? hosts, OutputFormat format)
    {
        var ipam = Ipam.Create(await ReadTopologyAsync(config, context.CancellationToken));
        foreach (var host in await ReadHostsAsync(hosts, context.CancellationToken))
        {
            ipam.AddHost(host);
        }

        await WritePlanAsync(context, ipam.Plan(), format);
        return ExitCodes.Ok;
    }

    public static async Task<int> InitAsync(CliContext context, FileInfo config, FileInfo state, FileInfo? hosts, double lockTimeout)
    {
        var ipam = Ipam.Create(await ReadTopologyAsync(config, context.CancellationToken));
        foreach (var host in await ReadHostsAsync(hosts, context.CancellationToken))
        {
            ipam.AddHost(host);
        }

        var revision = await StateFile.CreateAsync(state, ipam, lockTimeout, context.CancellationToken);
        var plan = ipam.Plan();
        await context.Output.WriteLineAsync($"created {state.FullName} (revision {revision}): {plan.Hosts} host(s), {plan.RoutesPerTable} route(s) per table, budget {plan.RouteBudget}");
        return ExitCodes.Ok;
    }

    public static async Task<int> ApplyAsync(CliContext context, FileInfo config, FileInfo state, double lockTimeout)
    {
        var topology = await ReadTopologyAsync(config, context.CancellationToken);
        var (file, changes) = await StateFile.UpdateAsync(state, lockTimeout, ipam => ((Ipam?)ipam.ApplyTopology(topology, out var changes), changes), context.CancellationToken);
        await context.Output.WriteLineAsync($"applied {config.FullName} to {file.Path} (revision {file.Revision})");
        foreach (var change in changes.DefaultIfEmpty("no structural change"))
        {
            await context.Output.WriteLineAsync($"  {change}");
        }

        return ExitCodes.Ok;
    }

    public static async Task<int> ShowAsync(CliContext context, FileInfo state, OutputFormat format)
    {
        var file = await StateFile.OpenAsync(state, context.CancellationToken);
        if (format == OutputFormat.Table)
        {
            await context.Output.WriteLineAsync($"State {file.Path}, revision {file.Revision}");
        }

        await WritePlanAsync(context, file.Ipam.Plan(), format);
        return ExitCodes.Ok;
    }

    public static async Task<int> AddHostAsync(CliContext context, FileInfo state, string instanceId, string zone, string subnet, string ip, double lockTimeout)
    {
        if (!Cidr.TryParseAddress(ip, out var address))
        {
            throw new InputFileException($"--ip '{ip}' is not an IPv4 or IPv6 address such as 172.20.32.10");
        }

        if (!Ipam.InstanceIdPattern().IsMatch(instanceId) || !Ipam.SubnetIdPattern().IsMatch(subnet) || string.IsNullOrWhiteSpace(zone))
        {
            throw new InputFileException($"--instance-id '{instanceId}' must look like i-0123456789abcdef0, --subnet '{subnet}' like subnet-0123456789abcdef0, and --zone must be given");
        }

        var (_, placement) = await StateFile.UpdateAsync(state, lockTimeout, ipam => ((Ipam?)ipam, ipam.AddHost(new HostSpec(instanceId, zone, subnet, address))), context.CancellationToken);
        foreach (var group in placement.Groups)
        {
            await context.Output.WriteLineAsync($"{instanceId}: network {group.Network}, zone {group.Zone}, subnet {group.SubnetId}, group {group.Index} {group.Cidr}");
        }

        return ExitCodes.Ok;
    }

    public static async Task<int> RemoveHostAsync(CliContext context, FileInfo state, string instanceId, double lockTimeout)
    {
        var (_, released) = await StateFile.UpdateAsync(state, lockTimeout, ipam => ((Ipam?)ipam, ipam.RemoveHost(instanceId)), context.CancellationToken);
        await context.Output.WriteLineAsync($"{instanceId}: removed; {released} pod address(es) released");
        return ExitCodes.Ok;
    }

    public static async Task<int> AllocateAsync(CliContext context, FileInfo state, string pod, string host, string owner, string? network, OutputFormat format, double lockTimeout)
    {
        var (_, address) = await StateFile.UpdateAsync(state, lockTimeout, ipam => ((Ipam?)ipam, ipam.Allocate(pod, host, owner, network)), context.CancellationToken);
        if (format == OutputFormat.Json)
        {
            await Json.WriteAsync(context.Output, address);
        }
        else
        {
            await context.Output.WriteLineAsync($"{address.Address}  pod {pod}  block {address.Block}  host {address.InstanceId}  owner {address.Owner}  network {address.Network}");
        }

        return ExitCodes.Ok;
    }

    public static async Task<int> ReleaseAsync(CliContext context, FileInfo state, string pod, double lockTimeout)
    {
        var (_, held) = await StateFile.UpdateAsync(state, lockTimeout, ipam => ipam.FindPod(pod) is { } address && ipam.Release(pod) ? ((Ipam?)ipam, (PodAddress?)address) : (null, null), context.CancellationToken);
        await context.Output.WriteLineAsync(held is { } released ? $"{pod}: released {released.Address}" : $"{pod}: held no address; nothing to release");
        return ExitCodes.Ok;
    }

    /// <summary>
    /// Re-seals a state file edited on purpose: checks every entry as a load does, then writes it back (next
    /// revision) with a fresh digest. A file whose digest matches is left alone.
    /// </summary>
    public static async Task<int> ResealAsync(CliContext context, FileInfo state, double lockTimeout)
    {
        var store = StateFile.Store(state, lockTimeout);
        var (document, intact) = await store.LoadForResealAsync(context.CancellationToken)
            ?? throw new IpamException($"--state {store.Path}: no state file there; nothing to re-seal");
        if (intact && document.SchemaVersion == IpamStateDocument.CurrentSchemaVersion)
        {
            await context.Output.WriteLineAsync($"{store.Path}: the digest matches the content (revision {document.Revision}); intact; nothing to do");
            return ExitCodes.Ok;
        }

        var ipam = Ipam.FromDocument(document, store.Path);
        var revision = await store.SaveAsync(ipam.ToDocument(), document.Revision, context.CancellationToken);
        var why = intact ? $"schema version {document.SchemaVersion} has no digest" : "content changed outside romana-aws (the digest did not match)";
        await context.Output.WriteLineAsync($"{store.Path}: {why}; every entry checked ({ipam.HostCount} host(s), {ipam.PodCount} pod address(es)); sealed as revision {revision}");
        return ExitCodes.Ok;
    }

    private static async Task<TopologyConfig> ReadTopologyAsync(FileInfo config, CancellationToken cancellationToken) =>
        TopologyReader.Parse(await CommandGuard.ReadInputAsync(config, "--config", cancellationToken), config.FullName);

    private static async Task<IReadOnlyList<HostSpec>> ReadHostsAsync(FileInfo? hosts, CancellationToken cancellationToken) =>
        hosts is null ? [] : HostListReader.Parse(await CommandGuard.ReadInputAsync(hosts, "--hosts", cancellationToken, InputFile.HostListMaxBytes), hosts.FullName);

    private static Task WritePlanAsync(CliContext context, IpamPlan plan, OutputFormat format) =>
        format == OutputFormat.Json ? Json.WriteAsync(context.Output, plan) : context.Output.WriteAsync(PlanRenderer.Render(plan));
}
