using System.CommandLine;

namespace RomanaAws.Cli.Commands;

/// <summary>The <c>romana-aws ipam</c> command tree. Handlers live in <see cref="IpamHandlers"/>.</summary>
internal static class IpamCommands
{
    public static Command Build(CliContext context)
    {
        var ipam = new Command("ipam", "Plan and operate the topology-aware IPAM: zones → subnet slots → groups → blocks → addresses.");
        ipam.Subcommands.Add(Plan(context));
        ipam.Subcommands.Add(Init(context));
        ipam.Subcommands.Add(Apply(context));
        ipam.Subcommands.Add(Show(context));
        ipam.Subcommands.Add(Hosts(context));
        ipam.Subcommands.Add(Allocate(context));
        ipam.Subcommands.Add(Release(context));
        ipam.Subcommands.Add(Reseal(context));
        return ipam;
    }

    private static Command Plan(CliContext context)
    {
        var config = CommonOptions.Config();
        var hosts = CommonOptions.Hosts("Hosts to place, in arrival order (YAML or JSON list of instanceId, zone, subnet, ip).");
        var output = CommonOptions.Output();
        var command = new Command("plan", "Show how the topology carves the pod network: zones, subnet slots, group CIDRs, hosts per group, route count against the budget, address capacity and use. Changes nothing.")
        {
            config, hosts, output,
        };
        command.SetAction((p, _) => CommandGuard.RunAsync(context, () => IpamHandlers.PlanAsync(context, p.GetValue(config)!, p.GetValue(hosts), p.GetValue(output))));
        return command;
    }

    private static Command Init(CliContext context)
    {
        var config = CommonOptions.Config();
        var state = CommonOptions.State();
        var hosts = CommonOptions.Hosts("Hosts to register right away (YAML or JSON list of instanceId, zone, subnet, ip).");
        var wait = CommonOptions.LockTimeout();
        var command = new Command("init", "Create a new state file for a topology (refuses to overwrite an existing one).") { config, state, hosts, wait };
        command.SetAction((p, _) => CommandGuard.RunAsync(context, () => IpamHandlers.InitAsync(context, p.GetValue(config)!, p.GetValue(state)!, p.GetValue(hosts), p.GetValue(wait))));
        return command;
    }

    private static Command Apply(CliContext context)
    {
        var config = CommonOptions.Config();
        var state = CommonOptions.State();
        var wait = CommonOptions.LockTimeout();
        var command = new Command("apply", "Apply a changed topology to existing state without renumbering anything allocated (add zones or networks, change groupsPerSubnet, add exclusions). A change that would orphan allocations is refused with the list of what it would break.")
        {
            config, state, wait,
        };
        command.SetAction((p, _) => CommandGuard.RunAsync(context, () => IpamHandlers.ApplyAsync(context, p.GetValue(config)!, p.GetValue(state)!, p.GetValue(wait))));
        return command;
    }

    private static Command Show(CliContext context)
    {
        var state = CommonOptions.State();
        var output = CommonOptions.Output();
        var command = new Command("show", "Show the state: carving, hosts per group, blocks and addresses in use, routes against the budget.") { state, output };
        command.SetAction((p, _) => CommandGuard.RunAsync(context, () => IpamHandlers.ShowAsync(context, p.GetValue(state)!, p.GetValue(output))));
        return command;
    }

    private static Command Hosts(CliContext context)
    {
        var state = CommonOptions.State();
        var instance = new Option<string>("--instance-id") { Description = "EC2 instance id (i-…).", Required = true, HelpName = "ID" };
        var zone = new Option<string>("--zone") { Description = "The instance's Availability Zone.", Required = true };
        var subnet = new Option<string>("--subnet") { Description = "The instance's subnet id (subnet-…).", Required = true };
        var ip = new Option<string>("--ip") { Description = "The instance's primary private IP.", Required = true };
        var wait = CommonOptions.LockTimeout();
        var add = new Command("add", "Register a host: it joins the group of its subnet with the fewest hosts and stays there.") { state, instance, zone, subnet, ip, wait };
        add.SetAction((p, _) => CommandGuard.RunAsync(context, () => IpamHandlers.AddHostAsync(
            context, p.GetValue(state)!, p.GetValue(instance)!, p.GetValue(zone)!, p.GetValue(subnet)!, p.GetValue(ip)!, p.GetValue(wait))));

        var removeState = CommonOptions.State();
        var removeInstance = new Option<string>("--instance-id") { Description = "EC2 instance id (i-…).", Required = true, HelpName = "ID" };
        var removeWait = CommonOptions.LockTimeout();
        var remove = new Command("remove", "Remove a host and free every block and address it held.") { removeState, removeInstance, removeWait };
        remove.SetAction((p, _) => CommandGuard.RunAsync(context, () => IpamHandlers.RemoveHostAsync(context, p.GetValue(removeState)!, p.GetValue(removeInstance)!, p.GetValue(removeWait))));
        return new Command("hosts", "Register and remove hosts.") { add, remove };
    }

    private static Command Allocate(CliContext context)
    {
        var state = CommonOptions.State();
        var pod = new Option<string>("--pod") { Description = "Pod key, such as namespace/name or a container id. The same key gets the same address back.", Required = true, HelpName = "KEY" };
        var host = new Option<string>("--host") { Description = "Instance id of the pod's node.", Required = true, HelpName = "ID" };
        var owner = new Option<string>("--owner") { Description = "Block owner: the pod's namespace, optionally namespace/segment.", Required = true };
        var network = new Option<string?>("--network") { Description = "Network name (default: the first network)." };
        var output = CommonOptions.Output();
        var wait = CommonOptions.LockTimeout();
        var command = new Command("allocate", "Give a pod an address from its (host, owner) blocks, taking a new block from the host's group when they are full.")
        {
            state, pod, host, owner, network, output, wait,
        };
        command.SetAction((p, _) => CommandGuard.RunAsync(context, () => IpamHandlers.AllocateAsync(
            context, p.GetValue(state)!, p.GetValue(pod)!, p.GetValue(host)!, p.GetValue(owner)!, p.GetValue(network), p.GetValue(output), p.GetValue(wait))));
        return command;
    }

    private static Command Release(CliContext context)
    {
        var state = CommonOptions.State();
        var pod = new Option<string>("--pod") { Description = "Pod key to release. Releasing a key that holds nothing succeeds (idempotent).", Required = true, HelpName = "KEY" };
        var wait = CommonOptions.LockTimeout();
        var command = new Command("release", "Release a pod's address; an emptied block returns to its group.") { state, pod, wait };
        command.SetAction((p, _) => CommandGuard.RunAsync(context, () => IpamHandlers.ReleaseAsync(context, p.GetValue(state)!, p.GetValue(pod)!, p.GetValue(wait))));
        return command;
    }

    private static Command Reseal(CliContext context)
    {
        var state = CommonOptions.State();
        var wait = CommonOptions.LockTimeout();
        var command = new Command("reseal", "After a deliberate hand edit: check every entry of the state file as a load does, then write it back with a fresh content digest (next revision). Refuses an inconsistent file; leaves an intact one alone. See docs/operations.md.")
        {
            state, wait,
        };
        command.SetAction((p, _) => CommandGuard.RunAsync(context, () => IpamHandlers.ResealAsync(context, p.GetValue(state)!, p.GetValue(wait))));
        return command;
    }
}
