using Microsoft.Extensions.Configuration;
using RomanaAws.Core.Configuration;
using RomanaAws.Core.Topology;

namespace RomanaAws.Controller.Configuration;

/// <summary>
/// The one configuration file, read once: the topology (validated by <see cref="TopologyReader"/>) and the
/// <c>aws:</c>/<c>controller:</c>/<c>health:</c>/<c>metrics:</c>/<c>kubernetes:</c>/<c>etcd:</c>/<c>api:</c> sections, with environment variables
/// (<c>ROMANA_CONTROLLER__RESYNCSECONDS</c>) and command-line switches (<c>--controller:resyncSeconds=10</c>) on top.
/// Loading is checking: a config that loads is valid, and one that does not throws a <see cref="ConfigException"/>
/// listing every problem of the topology and the settings at once, each with its key, origin, value and what is valid.
/// </summary>
public sealed record ControllerConfig(TopologyConfig Topology, IConfiguration Configuration, string Source)
{
    public ControllerSettings Controller { get; private init; } = new();

    public AwsSettings Aws { get; private init; } = new();

    public HealthCheckSettings Health { get; private init; } = new();

    public MetricsSettings Metrics { get; private init; } = new();

    public KubernetesSettings Kubernetes { get; private init; } = new();

    public EtcdSettings Etcd { get; private init; } = new();

    public ApiSettings Api { get; private init; } = new();

    /// <param name="servesApi">False for commands that read the config but serve no API (state, routes): the api: section is then not checked.</param>
    public static ControllerConfig Load(string path, string[]? args = null, bool servesApi = true)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        var text = InputFile.ReadText(full, "--config");
        var root = ConfigDocumentReader.Read(text, full);
        var errors = new List<ConfigError>();
        TopologyConfig? topology = null;
        try
        {
            topology = TopologyReader.Parse(root, full);
        }
        catch (ConfigException ex) when (ex.Errors.Count > 0)
        {
            errors.AddRange(ex.Errors);
        }

        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(ConfigFlattener.Flatten(root))
            .AddEnvironmentVariables("ROMANA_")
            .AddCommandLine(args ?? [])
            .Build();
        var binder = new SettingsBinder(configuration, ConfigFlattener.Lines(root));
        var controller = binder.Bind<ControllerSettings>(ControllerSettings.Section);
        var aws = binder.Bind<AwsSettings>(AwsSettings.Section);
        var health = binder.Bind<HealthCheckSettings>(HealthCheckSettings.Section);
        var metrics = binder.Bind<MetricsSettings>(MetricsSettings.Section);
        var kubernetes = binder.Bind<KubernetesSettings>(KubernetesSettings.Section);
        var etcd = binder.Bind<EtcdSettings>(EtcdSettings.Section);
        var api = binder.Bind<ApiSettings>(ApiSettings.Section);
        if (controller.StateBackend == "etcd")
        {
            foreach (var problem in etcd.Validate())
            {
                binder.Report(problem);
            }
        }
        foreach (var problem in SettingsValidator.Validate(controller).Concat(SettingsValidator.Validate(aws)).Concat(health.Validate()).Concat(metrics.Validate()).Concat(kubernetes.Validate())
                     .Concat(servesApi ? api.Validate(controller.Listen, kubernetes.Kubeconfig is not null || k8s.KubernetesClientConfiguration.IsInCluster()) : []))
        {
            binder.Report(problem);
        }

        if (health.Targets == "simulator" && aws.Ec2ServiceUrl is null)
        {
            binder.Report(new SettingProblem("health:targets", health.Targets, "needs aws.ec2ServiceUrl (the simulator's URL)"));
        }

        errors.AddRange(binder.Errors);
        return errors.Count > 0 || topology is null
            ? throw new ConfigException(full, errors.OrderBy(e => e.Line ?? int.MaxValue).ToList())
            : new ControllerConfig(topology, configuration, full) { Controller = controller, Aws = aws, Health = health, Metrics = metrics, Kubernetes = kubernetes, Etcd = etcd, Api = api };
    }
}
