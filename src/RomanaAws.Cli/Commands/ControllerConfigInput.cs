using RomanaAws.Controller.Configuration;

namespace RomanaAws.Cli.Commands;

/// <summary>The controller config file of the commands that read AWS without running the controller (routes, preflight, state).</summary>
internal static class ControllerConfigInput
{
    /// <summary>
    /// Reads and validates it; a missing file or a bad setting is a usage error (ConfigException) naming the key. The api:
    /// section is not checked: these commands serve no API (and its certificate paths are the controller pod's).
    /// </summary>
    public static Task<ControllerConfig> LoadAsync(FileInfo file, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(ControllerConfig.Load(file.FullName, servesApi: false));
    }
}
