using System.CommandLine;

namespace RomanaAws.Cli.Commands;

/// <summary>Options shared by several commands, described once.</summary>
internal static class CommonOptions
{
    public static Option<FileInfo> Config(bool required = true) => new("--config", "-c")
    {
        Description = "Topology file (YAML or JSON): cluster, networks, zones, subnetsPerZone, groupsPerSubnet, routeLimit, routeHeadroom. See docs/configuration.md.",
        Required = required,
        HelpName = "FILE",
    };

    public static Option<FileInfo> State(bool required = true) => new("--state", "-s")
    {
        Description = "IPAM state file (JSON, replaced atomically on every change).",
        Required = required,
        HelpName = "FILE",
    };

    public static Option<FileInfo> Hosts(string description) => new("--hosts")
    {
        Description = description,
        HelpName = "FILE",
    };

    public static Option<double> LockTimeout() => new("--lock-timeout")
    {
        Description = "Seconds to wait for another writer of the state file (its lock, or a save that got in first) before giving up; 0 = do not wait.",
        DefaultValueFactory = _ => 10,
        HelpName = "SECONDS",
    };

    public static Option<OutputFormat> Output() => new("--output", "-o")
    {
        Description = "Output format: table (for people) or json (for machines).",
        DefaultValueFactory = _ => OutputFormat.Table,
        HelpName = "table|json",
    };
}
