using System.Text.Json;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using RomanaAws.Controller.Configuration;
using RomanaAws.Tests.Shared;

namespace RomanaAws.Cli.Tests.Deployment;

/// <summary>
/// The kops addon, rendered by kops-addon/render.sh for a sample cluster, cannot drift from the program: every
/// document parses into the Kubernetes object models, container arguments parse with the real CLI, probe and service
/// ports and paths are what the programs serve, the topology ConfigMap loads as a controller config (RBAC parity with
/// the code: <see cref="RbacParityTests"/>).
/// </summary>
public sealed partial class KopsAddonTests : IDisposable
{
    private readonly string _out = Directory.CreateTempSubdirectory("romana-addon-").FullName;

    public void Dispose() => Directory.Delete(_out, recursive: true);

    private async Task<List<object>> RenderAsync()
    {
        var run = await Repo.RunAsync("bash", Path.Combine(CliRun.RepoRoot, "kops-addon", "render.sh"), "demo.k8s.local", "100.96.0.0/11", "us-east-1a,us-east-1b,us-east-1c", _out);
        Assert.True(run.ExitCode == 0, run.Error);
        return KubernetesYaml.LoadAllFromString(await File.ReadAllTextAsync(Path.Combine(_out, "v0.1.0.yaml")));
    }

    [Fact]
    public async Task Manifest_ParsesIntoKubernetesObjects_AllLabelledForTheChannel()
    {
        var objects = await RenderAsync();
        Assert.Equal(
            ["ClusterRole", "ClusterRole", "ClusterRoleBinding", "ClusterRoleBinding", "ConfigMap", "DaemonSet", "Deployment", "Namespace", "Service", "ServiceAccount", "ServiceAccount"],
            objects.Select(o => o.GetType().Name[2..]).Order(StringComparer.Ordinal));
        var channel = await File.ReadAllTextAsync(Path.Combine(_out, "addon.yaml"));
        Assert.Contains("manifest: v0.1.0.yaml", channel, StringComparison.Ordinal);
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(_out, "v0.1.0.yaml"))));
        Assert.Contains($"manifestHash: {hash}", channel, StringComparison.Ordinal);
        var spec = await File.ReadAllTextAsync(Path.Combine(_out, "cluster-spec.yaml"));
        Assert.Contains("\"ec2:ResourceTag/KubernetesCluster\": \"demo.k8s.local\"", spec, StringComparison.Ordinal);
        Assert.DoesNotContain("${", spec, StringComparison.Ordinal);
        Assert.All(objects.Cast<IMetadata<V1ObjectMeta>>(), o => Assert.Equal("romana-aws.romana.io", o.Metadata.Labels["k8s-addon"]));
    }

    [Fact]
    public async Task Containers_ArgumentsParse_PortsAndProbesMatchWhatTheProgramsServe()
    {
        var objects = await RenderAsync();
        var controller = objects.OfType<V1Deployment>().Single().Spec.Template.Spec;
        var agent = objects.OfType<V1DaemonSet>().Single().Spec.Template.Spec;
        var service = objects.OfType<V1Service>().Single();

        // The topology ConfigMap is a valid controller config, and its listen port is the one probed and served.
        var configFile = Path.Combine(_out, "config.yaml");
        await File.WriteAllTextAsync(configFile, objects.OfType<V1ConfigMap>().Single(c => c.Metadata.Name == "romana-aws-config").Data["config.yaml"]);
        var config = ControllerConfig.Load(configFile);
        Assert.Equal("demo.k8s.local", config.Topology.Cluster);
        var controllerPort = int.Parse(config.Controller.Listen.Split(':')[^1], System.Globalization.CultureInfo.InvariantCulture);
        var container = controller.Containers.Single();
        Assert.Equal(controllerPort, container.Ports.Single().ContainerPort);
        Assert.Equal(("/readyz", controllerPort.ToString(System.Globalization.CultureInfo.InvariantCulture)), (container.ReadinessProbe.HttpGet.Path, container.ReadinessProbe.HttpGet.Port.Value));
        Assert.Equal(("/healthz", controllerPort.ToString(System.Globalization.CultureInfo.InvariantCulture)), (container.LivenessProbe.HttpGet.Path, container.LivenessProbe.HttpGet.Port.Value));
        Assert.Equal(controllerPort.ToString(System.Globalization.CultureInfo.InvariantCulture), service.Spec.Ports.Single().TargetPort.Value);
        Assert.Contains(container.VolumeMounts, m => m.MountPath == Path.GetDirectoryName(config.Controller.StateFile));
        Assert.Contains(container.VolumeMounts, m => container.Args.Contains($"{m.MountPath}/config.yaml"));
        Parses(container.Args, "controller");

        // The agent: its --listen port is the probed one; its --controller URL is the Service's, through the service env.
        var agentContainer = agent.Containers.Single();
        var listen = agentContainer.Args[agentContainer.Args.IndexOf("--listen") + 1];
        Assert.Equal(listen.Split(':')[^1], agentContainer.ReadinessProbe.HttpGet.Port.Value);
        Assert.Equal("/healthz", agentContainer.ReadinessProbe.HttpGet.Path);
        Assert.Equal(int.Parse(listen.Split(':')[^1], System.Globalization.CultureInfo.InvariantCulture), agentContainer.Ports.Single().ContainerPort);
        var url = agentContainer.Args[agentContainer.Args.IndexOf("--controller") + 1];
        var serviceEnv = service.Metadata.Name.ToUpperInvariant().Replace('-', '_');
        Assert.Equal($"http://$({serviceEnv}_SERVICE_HOST):$({serviceEnv}_SERVICE_PORT)/", url);
        Assert.DoesNotContain("--policies", agentContainer.Args);
        Assert.DoesNotContain("--kubeconfig", agentContainer.Args);
        Assert.NotEqual(false, objects.OfType<V1ServiceAccount>().Single(a => a.Metadata.Name == agent.ServiceAccountName).AutomountServiceAccountToken);
        Parses([.. agentContainer.Args.Select(a => ServiceEnv().Replace(a, "10.0.0.1"))], "agent");

        Assert.True(agent.HostNetwork);
        Assert.Contains("NET_ADMIN", agentContainer.SecurityContext.Capabilities.Add);
        Assert.True(agentContainer.SecurityContext.Privileged, "the agent writes net.ipv4.ip_forward, which needs a read-write /proc/sys");
        Assert.Contains(agent.Tolerations, t => t.OperatorProperty == "Exists" && t.Key is null && t.Effect is null);
        Assert.True(controller.SecurityContext.RunAsNonRoot);
    }

    [Fact]
    public async Task ClusterSpec_AdditionalPolicies_AllowTheSameActionsAsTheCloudFormationPolicy()
    {
        var spec = await File.ReadAllTextAsync(Path.Combine(CliRun.RepoRoot, "kops-addon", "cluster-spec.yaml"));
        var json = spec[spec.IndexOf('[', StringComparison.Ordinal)..(spec.LastIndexOf(']') + 1)];
        var kops = JsonDocument.Parse(json).RootElement.EnumerateArray().SelectMany(s => s.GetProperty("Action").EnumerateArray().Select(a => a.GetString()!)).Order(StringComparer.Ordinal);
        var template = await File.ReadAllTextAsync(Path.Combine(CliRun.RepoRoot, "cloudformation", "romana-aws.yaml"));
        var cloudFormation = Action().Matches(template).Select(m => m.Groups["action"].Value).Order(StringComparer.Ordinal);
        Assert.Equal(cloudFormation, kops);
        Assert.Contains("cni: {}", spec, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bad_name", "100.96.0.0/11", "us-east-1a", "CLUSTER_NAME 'bad_name'")]
    [InlineData("demo.k8s.local", "100.96.0.0", "us-east-1a", "POD_CIDR '100.96.0.0'")]
    [InlineData("demo.k8s.local", "100.96.0.0/11", "us-east-1a us-east-1b", "ZONES 'us-east-1a us-east-1b'")]
    public async Task Render_BadInput_NamesTheFieldAndValue(string cluster, string cidr, string zones, string expected)
    {
        var run = await Repo.RunAsync("bash", Path.Combine(CliRun.RepoRoot, "kops-addon", "render.sh"), cluster, cidr, zones, _out);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
    }

    private static void Parses(IList<string> args, string command)
    {
        var parse = CliRun.Parse([.. args]);
        Assert.Empty(parse.Errors);
        Assert.Equal(command, parse.CommandResult.Command.Name);
    }

    [GeneratedRegex(@"\$\([A-Z_]+\)")]
    private static partial Regex ServiceEnv();

    [GeneratedRegex(@"^\s+- (?<action>(ec2|cloudwatch):\w+)\s*$", RegexOptions.Multiline)]
    private static partial Regex Action();
}
