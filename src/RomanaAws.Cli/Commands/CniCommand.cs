using System.CommandLine;

namespace RomanaAws.Cli.Commands;

/// <summary><c>romana-aws cni install</c>: put the plugin binary into the runtime's plugin directory (the kops addon's init container).</summary>
internal static class CniCommand
{
    public const string DefaultPlugin = "/opt/romana-aws/romana-aws-cni";

    private const long MaxPluginBytes = 256L * 1024 * 1024;

    public static Command Build(CliContext context)
    {
        var from = new Option<FileInfo>("--from") { Description = "The romana-aws-cni binary to install (the agent image carries it here).", HelpName = "FILE", DefaultValueFactory = _ => new FileInfo(DefaultPlugin) };
        var binDir = new Option<DirectoryInfo>("--bin-dir") { Description = "The runtime's CNI plugin directory (the host's /opt/cni/bin, mounted into the init container).", HelpName = "DIR", DefaultValueFactory = _ => new DirectoryInfo("/opt/cni/bin") };
        var install = new Command("install", "Copy romana-aws-cni into the CNI plugin directory atomically (temp file, fsync, rename; mode 0755), so a runtime never executes half a binary. The conflist is written later by the agent, once it can serve ADDs.")
        {
            from, binDir,
        };
        install.SetAction((p, ct) => CommandGuard.RunAsync(context, () => InstallAsync(context, p.GetValue(from)!, p.GetValue(binDir)!, ct)));
        return new Command("cni", "The CNI plugin on this node.") { install };
    }

    internal static async Task<int> InstallAsync(CliContext context, FileInfo from, DirectoryInfo binDir, CancellationToken cancellationToken)
    {
        if (!from.Exists)
        {
            throw new InputFileException($"--from {from.FullName}: file not found (the agent image carries the plugin at {DefaultPlugin})");
        }

        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(from.FullName) & UnixFileMode.UserExecute) == 0 || from.Length is 0 or > MaxPluginBytes || from.Attributes.HasFlag(FileAttributes.Device))
        {
            throw new InputFileException($"--from {from.FullName}: not a plugin executable (expected a regular executable file of 1 byte to {MaxPluginBytes / (1024 * 1024)} MiB)");
        }

        Directory.CreateDirectory(binDir.FullName);
        var target = Path.Combine(binDir.FullName, "romana-aws-cni");
        var temp = Path.Combine(binDir.FullName, $".romana-aws-cni.{Environment.ProcessId}.tmp");
        try
        {
            await using (var source = from.OpenRead())
            await using (var destination = new FileStream(temp, FileMode.Create, FileAccess.Write))
            {
                await source.CopyToAsync(destination, cancellationToken);
                destination.Flush(flushToDisk: true);
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            }

            File.Move(temp, target, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }

        await context.Output.WriteLineAsync($"installed {target} ({from.Length} bytes, from {from.FullName})");
        return ExitCodes.Ok;
    }
}
