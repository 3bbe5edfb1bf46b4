using RomanaAws.Cli.Output;
using RomanaAws.Core.Configuration;
using RomanaAws.Core.Ipam;
using RomanaAws.Core.Net;
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

    public static async Task<int> InitAsync(CliContext context, FileInfo config, FileInfo state, FileInfo? hosts)
    {
        var ipam = Ipam.Create(await ReadTopologyAsync(config, context.CancellationToken));
        foreach (var host in await ReadHostsAsync(hosts, context.CancellationToken))
        {
            ipam.AddHost(host);
        }

        var revision = await StateFile.CreateAsync(state, ipam, context.CancellationToken);
        var plan = ipam.Plan();
        await context.Output.WriteLineAsync($"created {state.FullName} (revision {revision}): {plan.Hosts} host(s), {plan.RoutesPerTable} route(s) per table, budget {plan.RouteBudget}");
        return ExitCodes.Ok;
    }

    public static async Task<int> ApplyAsync(CliContext context, FileInfo config, FileInfo state)
    {
        var topology = await ReadTopologyAsync(config, context.CancellationToken);
        var file = await StateFile.OpenAsync(state, context.CancellationToken);
        var next = file.Ipam.ApplyTopology(topology, out var changes);
        await file.SaveAsync(next, context.CancellationToken);
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

    public static async Task<int> AddHostAsync(CliContext context, FileInfo state, string instanceId, string zone, string subnet, string ip)
    {
        if (!Cidr.TryParseAddress(ip, out var address))
        {
            throw new InputFileException($"--ip '{ip}' is not an IPv4 or IPv6 address such as 172.20.32.10");
        }

        if (!Ipam.InstanceIdPattern().IsMatch(instanceId) || !Ipam.SubnetIdPattern().IsMatch(subnet) || string.IsNullOrWhiteSpace(zone))
        {
            throw new InputFileException($"--instance-id '{instanceId}' must look like i-0123456789abcdef0, --subnet '{subnet}' like subnet-0123456789abcdef0, and --zone must be given");
        }

        var file = await StateFile.OpenAsync(state, context.CancellationToken);
        var placement = file.Ipam.AddHost(new HostSpec(instanceId, zone, subnet, address));
        await file.SaveAsync(file.Ipam, context.CancellationToken);
        foreach (var group in placement.Groups)
        {
            await context.Output.WriteLineAsync($"{instanceId}: network {group.Network}, zone {group.Zone}, subnet {group.SubnetId}, group {group.Index} {group.Cidr}");
        }

        return ExitCodes.Ok;
    }

    public static async Task<int> RemoveHostAsync(CliContext context, FileInfo state, string instanceId)
    {
        var file = await StateFile.OpenAsync(state, context.CancellationToken);
        var released = file.Ipam.RemoveHost(instanceId);
        await file.SaveAsync(file.Ipam, context.CancellationToken);
        await context.Output.WriteLineAsync($"{instanceId}: removed; {released} pod address(es) released");
        return ExitCodes.Ok;
    }

    public static async Task<int> AllocateAsync(CliContext context, FileInfo state, string pod, string host, string owner, string? network, OutputFormat format)
    {
        var file = await StateFile.OpenAsync(state, context.CancellationToken);
        var address = file.Ipam.Allocate(pod, host, owner, network);
        await file.SaveAsync(file.Ipam, context.CancellationToken);
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

    public static async Task<int> ReleaseAsync(CliContext context, FileInfo state, string pod)
    {
        var file = await StateFile.OpenAsync(state, context.CancellationToken);
        var held = file.Ipam.FindPod(pod);
        if (!file.Ipam.Release(pod))
        {
            await context.Output.WriteLineAsync($"{pod}: held no address; nothing to release");
            return ExitCodes.Ok;
        }

        await file.SaveAsync(file.Ipam, context.CancellationToken);
        await context.Output.WriteLineAsync($"{pod}: released {held!.Value.Address}");
        return ExitCodes.Ok;
    }

    private static async Task<TopologyConfig> ReadTopologyAsync(FileInfo config, CancellationToken cancellationToken) =>
        TopologyReader.Parse(await CommandGuard.ReadInputAsync(config, "--config", cancellationToken), config.FullName);

    private static async Task<IReadOnlyList<HostSpec>> ReadHostsAsync(FileInfo? hosts, CancellationToken cancellationToken) =>
        hosts is null ? [] : HostListReader.Parse(await CommandGuard.ReadInputAsync(hosts, "--hosts", cancellationToken, InputFile.HostListMaxBytes), hosts.FullName);

    private static Task WritePlanAsync(CliContext context, IpamPlan plan, OutputFormat format) =>
        format == OutputFormat.Json ? Json.WriteAsync(context.Output, plan) : context.Output.WriteAsync(PlanRenderer.Render(plan));
}
