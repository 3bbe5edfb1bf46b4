using Microsoft.Extensions.Options;
using RomanaAws.Controller.Configuration;

namespace RomanaAws.Cli.Commands;

/// <summary>The controller config file of the commands that read AWS without running the controller (routes, preflight).</summary>
internal static class ControllerConfigInput
{
    /// <summary>Reads and validates it; a missing file or a bad setting is a usage error naming the key.</summary>
    public static async Task<ControllerConfig> LoadAsync(FileInfo file, CancellationToken cancellationToken)
    {
        _ = await CommandGuard.ReadInputAsync(file, "--config", cancellationToken);
        var config = ControllerConfig.Load(file.FullName);
        var errors = config.Validate();
        if (errors.Count > 0)
        {
            throw new OptionsValidationException("settings", typeof(ControllerSettings), errors);
        }

        return config;
    }
}
