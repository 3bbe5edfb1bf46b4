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
/// ports and paths are what the programs serve, the topology ConfigMap loads as a controller config with its state on
/// etcd and its certificates where the Secret is mounted, and the controller runs as two replicas that cannot share a
/// node or be drained together (RBAC parity with the code: <see cref="RbacParityTests"/>).
/// </summary>
public sealed partial class KopsAddonTests : IDisposable
{
    private const string EtcdEndpoints = "https://10.0.0.5:2379,https://10.0.0.6:2379,https://etcd-c.internal.demo.k8s.local:2379";

    private readonly string _out = Directory.CreateTempSubdirectory("romana-addon-").FullName;

    public void Dispose() => Directory.Delete(_out, recursive: true);

    private async Task<List<object>> RenderAsync()
    {
        var run = await RenderAsync("demo.k8s.local", "100.96.0.0/11", "us-east-1a,us-east-1b,us-east-1c", EtcdEndpoints);
        Assert.True(run.ExitCode == 0, run.Error);
        return KubernetesYaml.LoadAllFromString(await File.ReadAllTextAsync(Path.Combine(_out, "v0.1.0.yaml")));
    }

    private Task<(int ExitCode, string Output, string Error)> RenderAsync(string cluster, string cidr, string zones, string? etcdEndpoints) =>
        etcdEndpoints is null
            ? Repo.RunAsync("env", "-u", "ETCD_ENDPOINTS", "bash", Path.Combine(CliRun.RepoRoot, "kops-addon", "render.sh"), cluster, cidr, zones, _out)
            : Repo.RunAsync("env", $"ETCD_ENDPOINTS={etcdEndpoints}", "bash", Path.Combine(CliRun.RepoRoot, "kops-addon", "render.sh"), cluster, cidr, zones, _out);

    /// <summary>
    /// The ConfigMap's controller config, loaded by the real loader (every setting validated, the etcd: section too, as
    /// the controller does at start) with the Secret materialised as files: its items are written under a directory that
    /// stands for the Secret's mount path, and the config's paths below that mount are pointed there.
    /// </summary>
    private ControllerConfig LoadControllerConfig(List<object> objects, out string secretDirectory) => LoadControllerConfig(objects, out secretDirectory, out _);

    /// <summary>
    /// The same with every Secret of the pod materialised (etcd-client and api-tls, each under its own directory), and
    /// a kubeconfig for the Kubernetes API the controller reaches in-cluster in its pod (TokenReview needs one).
    /// </summary>
    private ControllerConfig LoadControllerConfig(List<object> objects, out string secretDirectory, out string tlsDirectory)
    {
        var pod = objects.OfType<V1Deployment>().Single().Spec.Template.Spec;
        var text = objects.OfType<V1ConfigMap>().Single(c => c.Metadata.Name == "romana-aws-config").Data["config.yaml"];
        var directories = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var volume in pod.Volumes.Where(v => v.Secret is not null))
        {
            var mount = Assert.Single(pod.Containers.Single().VolumeMounts, m => m.Name == volume.Name);
            var directory = Directory.CreateDirectory(Path.Combine(_out, $"{volume.Name}-secret")).FullName;
            foreach (var item in volume.Secret.Items)
            {
                File.WriteAllText(Path.Combine(directory, item.Path), $"-----BEGIN PLACEHOLDER {item.Key}-----\n");
            }

            if (volume.Secret.SecretName == "romana-aws-tls")
            {
                // The controller loads its serving pair at start: what the addon's Job writes, a CA and a certificate.
                var ca = RomanaAws.Core.Security.CertificateMaker.Authority("test CA", DateTimeOffset.UtcNow.AddMinutes(-5), TimeSpan.FromDays(10));
                var serving = RomanaAws.Core.Security.CertificateMaker.Serving(ca, ["romana-aws-controller.romana-aws.svc"], [], DateTimeOffset.UtcNow.AddMinutes(-5), TimeSpan.FromDays(1));
                File.WriteAllText(Path.Combine(directory, "ca.crt"), ca.Certificate);
                File.WriteAllText(Path.Combine(directory, "tls.crt"), serving.Certificate);
                File.WriteAllText(Path.Combine(directory, "tls.key"), serving.Key);
            }

            Assert.Contains($"{mount.MountPath}/", text, StringComparison.Ordinal);
            text = text.Replace($"{mount.MountPath}/", $"{directory}/", StringComparison.Ordinal);
            directories[volume.Name] = directory;
        }

        secretDirectory = directories["etcd-client"];
        tlsDirectory = directories["api-tls"];
        var configFile = Path.Combine(_out, "config.yaml");
        File.WriteAllText(configFile, text);
        return ControllerConfig.Load(configFile, [$"--kubernetes:kubeconfig={InClusterKubeconfig()}"]);
    }

    /// <summary>Stands for the in-cluster service account the controller uses in its pod.</summary>
    private string InClusterKubeconfig()
    {
        var path = Path.Combine(_out, "in-cluster.kubeconfig");
        File.WriteAllText(path, "apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: \"https://10.0.0.1:443\"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: c, context: {cluster: c, user: u}}]\ncurrent-context: c\n");
        return path;
    }

    private static (V1Volume Volume, V1VolumeMount Mount) EtcdClientVolume(V1PodSpec pod)
    {
        var volume = Assert.Single(pod.Volumes, v => v.Secret?.SecretName == "romana-aws-etcd-client");
        return (volume, Assert.Single(pod.Containers.Single().VolumeMounts, m => m.Name == volume.Name));
    }

    [Fact]
    public async Task Manifest_ParsesIntoKubernetesObjects_AllLabelledForTheChannel()
    {
        var objects = await RenderAsync();
        Assert.Equal(
            ["ClusterRole", "ClusterRole", "ClusterRoleBinding", "ClusterRoleBinding", "ConfigMap", "CronJob", "DaemonSet", "Deployment", "Job", "Namespace", "PodDisruptionBudget", "Role", "RoleBinding", "Service", "ServiceAccount", "ServiceAccount", "ServiceAccount"],
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
        var config = LoadControllerConfig(objects, out _);
        Assert.Equal("demo.k8s.local", config.Topology.Cluster);
        var controllerPort = int.Parse(config.Controller.Listen.Split(':')[^1], System.Globalization.CultureInfo.InvariantCulture);
        var container = controller.Containers.Single();
        Assert.Equal(controllerPort, container.Ports.Single().ContainerPort);
        Assert.Equal(("/readyz", controllerPort.ToString(System.Globalization.CultureInfo.InvariantCulture)), (container.ReadinessProbe.HttpGet.Path, container.ReadinessProbe.HttpGet.Port.Value));
        Assert.Equal(("/healthz", controllerPort.ToString(System.Globalization.CultureInfo.InvariantCulture)), (container.LivenessProbe.HttpGet.Path, container.LivenessProbe.HttpGet.Port.Value));
        Assert.Equal(controllerPort.ToString(System.Globalization.CultureInfo.InvariantCulture), service.Spec.Ports.Single().TargetPort.Value);
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
        Assert.Equal($"https://$({serviceEnv}_SERVICE_HOST):$({serviceEnv}_SERVICE_PORT)/", url);
        Assert.DoesNotContain("--policies", agentContainer.Args);
        Assert.DoesNotContain("--kubeconfig", agentContainer.Args);
        Assert.NotEqual(false, objects.OfType<V1ServiceAccount>().Single(a => a.Metadata.Name == agent.ServiceAccountName).AutomountServiceAccountToken);
        Parses([.. agentContainer.Args.Select(a => ServiceEnv().Replace(a, "10.0.0.1"))], "agent");

        Assert.True(agent.HostNetwork);
        Assert.Contains("NET_ADMIN", agentContainer.SecurityContext.Capabilities.Add);
        // Forwarding is turned on by a privileged init container; the agent runs with NET_ADMIN and NET_RAW only
        // (ImageTests runs the image so, and checks the capabilities its process really has).
        Assert.NotEqual(true, agentContainer.SecurityContext.Privileged);
        Assert.Equal(["ALL"], agentContainer.SecurityContext.Capabilities.Drop);
        Assert.Equal(["NET_ADMIN", "NET_RAW"], agentContainer.SecurityContext.Capabilities.Add.Order(StringComparer.Ordinal));
        var forwarding = Assert.Single(agent.InitContainers, c => c.Name == "enable-forwarding");
        Assert.True(forwarding.SecurityContext.Privileged);
        Assert.Equal(["/usr/sbin/sysctl", "-w", "net.ipv4.ip_forward=1"], forwarding.Command);
        Assert.Equal(["ALL"], agent.InitContainers.Single(c => c.Name == "install-cni").SecurityContext.Capabilities.Drop);
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
    [InlineData("bad_name", "100.96.0.0/11", "us-east-1a", EtcdEndpoints, "CLUSTER_NAME 'bad_name'")]
    [InlineData("demo.k8s.local", "100.96.0.0", "us-east-1a", EtcdEndpoints, "POD_CIDR '100.96.0.0'")]
    [InlineData("demo.k8s.local", "100.96.0.0/11", "us-east-1a us-east-1b", EtcdEndpoints, "ZONES 'us-east-1a us-east-1b'")]
    [InlineData("demo.k8s.local", "100.96.0.0/11", "us-east-1a", null, "ETCD_ENDPOINTS is not set")]
    [InlineData("demo.k8s.local", "100.96.0.0/11", "us-east-1a", "http://10.0.0.5:2379", "ETCD_ENDPOINTS 'http://10.0.0.5:2379'")]
    [InlineData("demo.k8s.local", "100.96.0.0/11", "us-east-1a", "https://10.0.0.5:2379 https://10.0.0.6:2379", "ETCD_ENDPOINTS 'https://10.0.0.5:2379 https://10.0.0.6:2379'")]
    public async Task Render_BadInput_NamesTheFieldAndValue(string cluster, string cidr, string zones, string? etcdEndpoints, string expected)
    {
        var run = await RenderAsync(cluster, cidr, zones, etcdEndpoints);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_out, "v0.1.0.yaml")), "nothing is rendered from bad input");
    }

    [Fact]
    public async Task ControllerDeployment_TwoReplicasOnDistinctControlPlaneNodes_NoStateOnTheNode()
    {
        var objects = await RenderAsync();
        var deployment = objects.OfType<V1Deployment>().Single();
        var pod = deployment.Spec.Template.Spec;
        var labels = deployment.Spec.Template.Metadata.Labels;

        // A leader and a hot standby, never on one node: required anti-affinity per host, selecting these very pods.
        Assert.Equal(2, deployment.Spec.Replicas);
        var term = Assert.Single(pod.Affinity.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution);
        Assert.Equal("kubernetes.io/hostname", term.TopologyKey);
        Assert.NotEmpty(term.LabelSelector.MatchLabels);
        Assert.All(term.LabelSelector.MatchLabels, l => Assert.Equal(l.Value, labels[l.Key]));
        Assert.True(term.LabelSelector.MatchExpressions is null or { Count: 0 });
        Assert.True(term.Namespaces is null or { Count: 0 }, "the term applies in the Deployment's own namespace");

        // Rolling one replica at a time and never surging: a surge pod would find no node the anti-affinity allows.
        Assert.Equal("RollingUpdate", deployment.Spec.Strategy.Type);
        Assert.Equal(("1", "0"), (deployment.Spec.Strategy.RollingUpdate.MaxUnavailable.Value, deployment.Spec.Strategy.RollingUpdate.MaxSurge.Value));

        // On control-plane nodes, as before.
        Assert.Equal("", pod.NodeSelector["node-role.kubernetes.io/control-plane"]);
        Assert.Contains(pod.Tolerations, t => t.Key == "node-role.kubernetes.io/control-plane" && t.OperatorProperty == "Exists" && t.Effect == "NoSchedule");
        Assert.True(pod.HostNetwork);

        // No state on the node: no hostPath at all, no init container to own a state directory; only the config, the
        // etcd client Secret and the API's TLS Secret.
        Assert.All(pod.Volumes, v => Assert.Null(v.HostPath));
        Assert.True(pod.InitContainers is null or { Count: 0 });
        Assert.Equal(["configMap", "secret", "secret"], pod.Volumes.Select(v => v.ConfigMap is not null ? "configMap" : v.Secret is not null ? "secret" : v.Name).Order(StringComparer.Ordinal));

        // The replica's identity and advertised address from the downward API, under the names the controller reads.
        var container = pod.Containers.Single();
        Assert.Equal("metadata.name", Assert.Single(container.Env, e => e.Name == "POD_NAME").ValueFrom.FieldRef.FieldPath);
        Assert.Equal("status.podIP", Assert.Single(container.Env, e => e.Name == "POD_IP").ValueFrom.FieldRef.FieldPath);
        var config = LoadControllerConfig(objects, out _);
        Assert.Null(config.Controller.Advertise);
        var saved = (Environment.GetEnvironmentVariable("POD_NAME"), Environment.GetEnvironmentVariable("POD_IP"));
        try
        {
            Environment.SetEnvironmentVariable("POD_NAME", "romana-aws-controller-5d8f7-abcde");
            Environment.SetEnvironmentVariable("POD_IP", "10.0.1.7");
            var holder = RomanaAws.Controller.Replication.ReplicaIdentity.For(config.Controller.Advertise, System.Net.IPEndPoint.Parse(config.Controller.Listen));
            Assert.Equal("romana-aws-controller-5d8f7-abcde", holder.Id);
            Assert.Equal($"http://10.0.1.7:{container.Ports.Single().ContainerPort}/", holder.Url);
        }
        finally
        {
            Environment.SetEnvironmentVariable("POD_NAME", saved.Item1);
            Environment.SetEnvironmentVariable("POD_IP", saved.Item2);
        }
    }

    [Fact]
    public async Task ControllerConfig_StateOnEtcd_CertificatesAreTheSecretsFiles()
    {
        var objects = await RenderAsync();
        var pod = objects.OfType<V1Deployment>().Single().Spec.Template.Spec;
        var (volume, mount) = EtcdClientVolume(pod);
        Assert.Equal("romana-aws-etcd-client", volume.Secret.SecretName);
        Assert.True(mount.ReadOnlyProperty);
        Assert.NotEqual(false, volume.Secret.Optional);
        var items = volume.Secret.Items.ToDictionary(i => i.Key, i => i.Path);
        Assert.Equal(["ca.crt", "tls.crt", "tls.key"], items.Keys.Order(StringComparer.Ordinal));
        // The key is readable by the controller's group (fsGroup) and by nobody else.
        Assert.Equal(1654, pod.SecurityContext.FsGroup);
        Assert.Equal(0b100_100_000, volume.Secret.DefaultMode);
        Assert.All(pod.Containers.Single().VolumeMounts, m => Assert.False(m.MountPath.StartsWith($"{mount.MountPath}/", StringComparison.Ordinal) || mount.MountPath.StartsWith($"{m.MountPath}/", StringComparison.Ordinal), $"{m.MountPath} nests with the Secret's mount"));

        // The real loader with the etcd backend: endpoints as rendered, each certificate path the Secret's file.
        var config = LoadControllerConfig(objects, out var secret);
        Assert.Equal("etcd", config.Controller.StateBackend);
        Assert.Equal(EtcdEndpoints.Split(','), config.Etcd.Endpoints);
        Assert.Equal(
            (Path.Combine(secret, items["ca.crt"]), Path.Combine(secret, items["tls.crt"]), Path.Combine(secret, items["tls.key"])),
            (config.Etcd.CaFile, config.Etcd.CertFile, config.Etcd.KeyFile));
        Assert.Null(config.Etcd.Prefix);
        Assert.Equal("/romana-aws/demo.k8s.local/", RomanaAws.Controller.ControllerHost.EtcdOptionsFor(config).Prefix);

        // And the loader does check them: without the Secret's files the same config is refused, naming all three keys.
        File.Delete(Path.Combine(secret, items["tls.key"]));
        File.Delete(Path.Combine(secret, items["ca.crt"]));
        var refused = Assert.Throws<RomanaAws.Core.Configuration.ConfigException>(() => ControllerConfig.Load(Path.Combine(_out, "config.yaml"), [$"--kubernetes:kubeconfig={InClusterKubeconfig()}"]));
        Assert.Equal(["etcd.caFile", "etcd.keyFile"], refused.Errors.Select(e => e.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Api_TlsFromTheSecret_AgentsSendTheirProjectedToken_ForTheAudienceAndAccountTheControllerChecks()
    {
        var objects = await RenderAsync();
        var config = LoadControllerConfig(objects, out _, out var tls);
        var controller = objects.OfType<V1Deployment>().Single().Spec.Template.Spec;
        var service = objects.OfType<V1Service>().Single();

        // The controller serves TLS from the romana-aws-tls Secret and verifies tokens (it listens beyond loopback).
        Assert.Equal((Path.Combine(tls, "tls.crt"), Path.Combine(tls, "tls.key"), Path.Combine(tls, "ca.crt")), (config.Api.TlsCertFile, config.Api.TlsKeyFile, config.Api.TlsCaFile));
        Assert.Equal("romana-aws-tls", Assert.Single(controller.Volumes, v => v.Name == "api-tls").Secret.SecretName);
        Assert.True(config.Api.Authenticates(System.Net.IPEndPoint.Parse(config.Controller.Listen)));
        Assert.False(config.Api.Insecure);
        var container = controller.Containers.Single();
        Assert.Equal(("HTTPS", "HTTPS"), (container.ReadinessProbe.HttpGet.Scheme, container.LivenessProbe.HttpGet.Scheme));
        Assert.Equal($"{service.Metadata.Name}.{service.Metadata.NamespaceProperty}.svc", config.Api.TlsServerName);

        // The agent: its token is a projected one for the controller's audience, refreshed by the kubelet, at --token-file.
        var agent = objects.OfType<V1DaemonSet>().Single().Spec.Template.Spec;
        var args = agent.Containers.Single().Args;
        string Arg(string name) => args[args.IndexOf(name) + 1];
        string MountedFile(string volume, string file) => $"{agent.Containers.Single().VolumeMounts.Single(m => m.Name == volume).MountPath}/{file}";
        var projected = Assert.Single(Assert.Single(agent.Volumes, v => v.Projected is not null).Projected.Sources).ServiceAccountToken;
        Assert.Equal(config.Api.Audience, projected.Audience);
        Assert.InRange(projected.ExpirationSeconds ?? 0, 600, 3600);
        Assert.Equal(MountedFile(agent.Volumes.Single(v => v.Projected is not null).Name, projected.Path), Arg("--token-file"));
        var account = objects.OfType<V1ServiceAccount>().Single(a => a.Metadata.Name == agent.ServiceAccountName);
        Assert.Equal($"system:serviceaccount:{account.Metadata.NamespaceProperty}:{account.Metadata.Name}", config.Api.AgentServiceAccount);

        // It trusts the API's CA only, sees no key, and checks the Service's name in the certificate.
        var ca = Assert.Single(agent.Volumes, v => v.Secret?.SecretName == "romana-aws-tls");
        Assert.Equal(["ca.crt"], ca.Secret.Items.Select(i => i.Key));
        Assert.Equal(MountedFile(ca.Name, "ca.crt"), Arg("--controller-ca"));
        Assert.Equal(config.Api.TlsServerName, Arg("--controller-name"));
    }

    [Fact]
    public async Task PodDisruptionBudget_KeepsOneControllerReplica_SelectsOnlyTheControllerPods()
    {
        var objects = await RenderAsync();
        var deployment = objects.OfType<V1Deployment>().Single();
        var budget = objects.OfType<V1PodDisruptionBudget>().Single();
        Assert.Equal(deployment.Metadata.NamespaceProperty, budget.Metadata.NamespaceProperty);
        Assert.Equal("1", budget.Spec.MinAvailable.Value);
        Assert.Null(budget.Spec.MaxUnavailable);
        Assert.True(int.Parse(budget.Spec.MinAvailable.Value, System.Globalization.CultureInfo.InvariantCulture) < deployment.Spec.Replicas, "a drain can take one replica");
        Assert.NotEmpty(budget.Spec.Selector.MatchLabels);
        Assert.All(budget.Spec.Selector.MatchLabels, l => Assert.Equal(l.Value, deployment.Spec.Template.Metadata.Labels[l.Key]));
        var agentLabels = objects.OfType<V1DaemonSet>().Single().Spec.Template.Metadata.Labels;
        Assert.False(budget.Spec.Selector.MatchLabels.All(l => agentLabels.TryGetValue(l.Key, out var v) && v == l.Value), "the budget must not select the agents");
    }

    /// <summary>Where the addon before state on etcd kept the IPAM state (its ConfigMap's controller.stateFile, on a hostPath).</summary>
    private const string FileStoreStateFile = "/var/lib/romana-aws/romana-ipam-state.json";

    [Fact]
    public async Task MigrateJob_CopiesTheOldAddonsStateFile_IntoTheEtcdTheNewAddonUses()
    {
        var objects = await RenderAsync();
        var text = await File.ReadAllTextAsync(Path.Combine(_out, "migrate-from-file.yaml"));
        Assert.DoesNotContain("${", text, StringComparison.Ordinal);
        var job = Assert.IsType<V1Job>(Assert.Single(KubernetesYaml.LoadAllFromString(text)));
        var deployment = objects.OfType<V1Deployment>().Single().Spec.Template.Spec;
        var pod = job.Spec.Template.Spec;
        var container = pod.Containers.Single();
        Assert.Equal(objects.OfType<V1Deployment>().Single().Metadata.NamespaceProperty, job.Metadata.NamespaceProperty);
        Assert.Equal(deployment.Containers.Single().Image, container.Image);
        Assert.Equal("Never", pod.RestartPolicy);
        Assert.Equal("NODE_WITH_THE_STATE_FILE", pod.NodeName);
        Parses(container.Args, "migrate");
        Assert.Equal(["state", "migrate"], container.Args.Take(2));
        Assert.Equal("etcd", container.Args[container.Args.IndexOf("--to") + 1]);

        // The old addon's file, read-only, as the user that wrote it (0600); the Secret exactly as the controller mounts it.
        var stateMount = Assert.Single(container.VolumeMounts, m => pod.Volumes.Single(v => v.Name == m.Name).HostPath is not null);
        Assert.Equal((Path.GetDirectoryName(FileStoreStateFile), true), (stateMount.MountPath, stateMount.ReadOnlyProperty));
        Assert.Equal(Path.GetDirectoryName(FileStoreStateFile), pod.Volumes.Single(v => v.Name == stateMount.Name).HostPath.Path);
        Assert.Equal((deployment.SecurityContext.RunAsUser, deployment.SecurityContext.FsGroup), (pod.SecurityContext.RunAsUser, pod.SecurityContext.FsGroup));
        var (jobSecret, jobSecretMount) = EtcdClientVolume(pod);
        var (secret, secretMount) = EtcdClientVolume(deployment);
        Assert.Equal((secret.Secret.SecretName, secret.Secret.DefaultMode, secretMount.MountPath), (jobSecret.Secret.SecretName, jobSecret.Secret.DefaultMode, jobSecretMount.MountPath));
        Assert.Equal(secret.Secret.Items.Select(i => (i.Key, i.Path)), jobSecret.Secret.Items.Select(i => (i.Key, i.Path)));
        var configVolume = Assert.Single(pod.Volumes, v => v.ConfigMap is not null);
        Assert.Equal(deployment.Volumes.Single(v => v.ConfigMap is not null).ConfigMap.Name, configVolume.ConfigMap.Name);
        Assert.Contains(container.VolumeMounts, m => m.Name == configVolume.Name && container.Args.Contains($"{m.MountPath}/config.yaml"));

        // What the Job loads: the old addon's ConfigMap (the same topology, the file store) with its environment on top,
        // given here as the equivalent switches (ROMANA_ETCD__CAFILE is etcd:caFile) so the test's own environment stays
        // untouched. It must name the old file and exactly the etcd the new addon's controllers use.
        var addon = LoadControllerConfig(objects, out var secretDirectory);
        var current = await File.ReadAllTextAsync(Path.Combine(_out, "config.yaml"));
        var fileStoreConfig = Path.Combine(_out, "file-store-config.yaml");
        await File.WriteAllTextAsync(fileStoreConfig, current[..current.IndexOf("controller:", StringComparison.Ordinal)] + $"controller:\n  resyncSeconds: 30\n  stateFile: {FileStoreStateFile}\n  listen: 0.0.0.0:9610\n");
        Assert.All(container.Env, e => Assert.StartsWith("ROMANA_ETCD__", e.Name, StringComparison.Ordinal));
        var switches = container.Env.Select(e => $"--{e.Name["ROMANA_".Length..].Replace("__", ":", StringComparison.Ordinal)}={e.Value.Replace($"{secretMount.MountPath}/", $"{secretDirectory}/", StringComparison.Ordinal)}").ToArray();
        var migrating = ControllerConfig.Load(fileStoreConfig, switches, servesApi: false); // as `state migrate` loads it
        Assert.Equal(FileStoreStateFile, migrating.Controller.StateFile);
        Assert.Empty(migrating.Etcd.Validate());
        var (from, to) = (RomanaAws.Controller.ControllerHost.EtcdOptionsFor(migrating), RomanaAws.Controller.ControllerHost.EtcdOptionsFor(addon));
        Assert.Equal(to.Endpoints, from.Endpoints);
        Assert.Equal((to.Prefix, to.CaFile, to.CertFile, to.KeyFile), (from.Prefix, from.CaFile, from.CertFile, from.KeyFile));
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
