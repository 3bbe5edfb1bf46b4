using Microsoft.Extensions.Configuration;
using RomanaAws.Core.Configuration;
using RomanaAws.Core.Topology;

namespace RomanaAws.Controller.Configuration;

/// <summary>
/// The one configuration file, read once: the topology (validated by <see cref="TopologyReader"/>) and the
/// <c>aws:</c>/<c>controller:</c> sections as configuration, with environment variables (<c>ROMANA_CONTROLLER__RESYNCSECONDS</c>)
/// and command-line switches (<c>--controller:resyncSeconds=10</c>) on top.
/// </summary>
public sealed record ControllerConfig(TopologyConfig Topology, IConfiguration Configuration, string Source)
{
    public static ControllerConfig Load(string path, string[]? args = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        var text = File.ReadAllText(full);
        var topology = TopologyReader.Parse(text, full);
        var flat = ConfigFlattener.Flatten(ConfigDocumentReader.Read(text, full));
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(flat)
            .AddEnvironmentVariables("ROMANA_")
            .AddCommandLine(args ?? [])
            .Build();
        return new ControllerConfig(topology, configuration, full);
    }

    public ControllerSettings Controller => Configuration.GetSection(ControllerSettings.Section).Get<ControllerSettings>() ?? new ControllerSettings();

    public AwsSettings Aws => Configuration.GetSection(AwsSettings.Section).Get<AwsSettings>() ?? new AwsSettings();

    public HealthCheckSettings Health => Configuration.GetSection(HealthCheckSettings.Section).Get<HealthCheckSettings>() ?? new HealthCheckSettings();

    public MetricsSettings Metrics => Configuration.GetSection(MetricsSettings.Section).Get<MetricsSettings>() ?? new MetricsSettings();

    /// <summary>Checks both sections; every problem at once.</summary>
    public IReadOnlyList<string> Validate()
    {
        var validator = new SettingsValidator();
        var errors = new List<string>();
        var controller = validator.Validate(null, Controller);
        var aws = validator.Validate(null, Aws);
        errors.AddRange(controller.Failures ?? []);
        errors.AddRange(aws.Failures ?? []);
        errors.AddRange(Health.Validate());
        errors.AddRange(Metrics.Validate());
        return errors;
    }
}
