using System.CommandLine;
using System.Diagnostics;
using RomanaAws.Controller;
using RomanaAws.Controller.Configuration;
using RomanaAws.Core.Ipam;
using RomanaAws.Core.Persistence;
using RomanaAws.Etcd;

namespace RomanaAws.Cli.Commands;

/// <summary>
/// <c>romana-aws state migrate</c>: copies the controller's IPAM state between the file store and etcd (either way),
/// checked in full on the way (as a load checks it), into an empty target only. Run it with the controllers stopped.
/// </summary>
internal static class StateCommand
{
    public static Command Build(CliContext context)
    {
        var state = new Command("state", "Move the controller's IPAM state between its stores (docs/operations.md, \"State on etcd\").");
        var config = CommonOptions.Config();
        config.Description = "The controller's config: controller.stateFile names the file, the etcd: section the etcd cluster and prefix.";
        var to = new Option<string>("--to") { Description = "Where to copy the state: etcd (from controller.stateFile) or file (from etcd into controller.stateFile).", Required = true, HelpName = "etcd|file" };
        to.AcceptOnlyFromAmong("etcd", "file");
        var migrate = new Command("migrate", "Copy the IPAM state from the file store into etcd (--to etcd) or back (--to file). The target must hold no state yet; the source is checked in full first and left as it is. Stop the controllers first: a running leader would write on.")
        {
            config, to,
        };
        migrate.SetAction((p, ct) => CommandGuard.RunAsync(context, () => MigrateAsync(context, p.GetValue(config)!, p.GetValue(to)!, ct)));
        state.Subcommands.Add(migrate);
        return state;
    }

    internal static async Task<int> MigrateAsync(CliContext context, FileInfo file, string to, CancellationToken cancellationToken)
    {
        var config = await ControllerConfigInput.LoadAsync(file, cancellationToken);
        var problems = config.Etcd.Validate().Select(p => $"{p.Key.Replace(':', '.')} {(p.Value is null ? "" : $"'{p.Value}' ")}{p.Message}").ToList();
        if (problems.Count > 0)
        {
            throw new InputFileException($"{file.Name}: state migrate needs a usable etcd: section: {string.Join("; ", problems)}");
        }

        using var etcd = new EtcdConnection(ControllerHost.EtcdOptionsFor(config));
        var etcdStore = new EtcdIpamStateStore(etcd, fence: null, writer: "romana-aws state migrate");
        var fileStore = new FileIpamStateStore(config.Controller.StateFile);
        var (source, target, from, into) = to == "etcd"
            ? ((IIpamStateStore)fileStore, (IIpamStateStore)etcdStore, config.Controller.StateFile, $"etcd {etcd.Describe} {etcd.Options.StatePrefix}")
            : (etcdStore, fileStore, $"etcd {etcd.Describe} {etcd.Options.StatePrefix}", config.Controller.StateFile);
        var clock = Stopwatch.StartNew();
        var document = await source.LoadAsync(cancellationToken) ?? throw new InputFileException($"{from} holds no IPAM state: nothing to migrate");
        var ipam = Ipam.FromDocument(document, from);
        await context.Output.WriteLineAsync($"read {from}: {ipam.Hosts.Count} host(s), {document.Blocks.Count} block(s), revision {document.Revision} ({clock.ElapsedMilliseconds} ms)");
        if (await target.LoadAsync(cancellationToken) is { } existing)
        {
            throw new InputFileException($"{into} already holds IPAM state (revision {existing.Revision}, {existing.Hosts.Count} host(s)); migrate only into an empty store: move it aside (or delete the etcd prefix) first");
        }

        clock.Restart();
        var revision = await target.SaveAsync(ipam.ToDocument(), 0, cancellationToken);
        await context.Output.WriteLineAsync($"wrote {into}: revision {revision} ({clock.ElapsedMilliseconds} ms); the source is unchanged");
        var back = await target.LoadAsync(cancellationToken);
        Ipam.FromDocument(back!, into);
        await context.Output.WriteLineAsync($"checked: {into} loads whole ({back!.Hosts.Count} host(s), {back.Blocks.Count} block(s))");
        return 0;
    }
}
