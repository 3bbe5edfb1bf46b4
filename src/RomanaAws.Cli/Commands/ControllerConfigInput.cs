using RomanaAws.Controller.Configuration;

namespace RomanaAws.Cli.Commands;

/// <summary>The controller config file of the commands that read AWS without running the controller (routes, preflight).</summary>
internal static class ControllerConfigInput
{
    /// <summary>Reads and validates it; a missing file or a bad setting is a usage error (ConfigException) naming the key.</summary>
    public static Task<ControllerConfig> LoadAsync(FileInfo file, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(ControllerConfig.Load(file.FullName));
    }
}
