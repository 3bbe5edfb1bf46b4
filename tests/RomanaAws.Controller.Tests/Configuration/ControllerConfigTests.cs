using RomanaAws.Controller.Configuration;
using RomanaAws.Core.Configuration;

namespace RomanaAws.Controller.Tests.Configuration;

[Collection(SharedEnvironment.Name)]
public sealed class ControllerConfigTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("romana-config-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string extra)
    {
        var path = Path.Combine(_directory, "c.yaml");
        File.WriteAllText(path, "cluster: c1\nnetworks:\n  - {name: pods, cidr: 100.96.0.0/11}\nzones: [us-east-1a]\n" + extra);
        return path;
    }

    [Fact]
    public void Load_BindsSectionsWithDefaults()
    {
        var config = ControllerConfig.Load(Write("aws:\n  region: eu-west-1\ncontroller:\n  routeTables: [rtb-1, rtb-2]\n  resyncSeconds: 10\n"));
        Assert.Equal(("eu-west-1", 10, 5, 300), (config.Aws.Region, config.Controller.ResyncSeconds, config.Controller.MaxDeletesPerPass, config.Controller.HostGraceSeconds));
        Assert.Equal(["rtb-1", "rtb-2"], config.Controller.RouteTables);
    }

    [Fact]
    public void Load_KubernetesSection_KubeconfigMustExist_NoneByDefault()
    {
        Assert.Null(ControllerConfig.Load(Write(string.Empty)).Kubernetes.Kubeconfig);
        var kubeconfig = Path.Combine(_directory, "kubeconfig");
        File.WriteAllText(kubeconfig, "apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: 'http://127.0.0.1:1'}}]\nusers: [{name: u, user: {token: t}}]\n" +
            "contexts: [{name: c, context: {cluster: c, user: u}}]\ncurrent-context: c\n");
        var config = ControllerConfig.Load(Write($"kubernetes:\n  kubeconfig: {kubeconfig}\n  resyncSeconds: 60\n"));
        Assert.Equal((kubeconfig, 60), (config.Kubernetes.Kubeconfig, config.Kubernetes.ResyncSeconds));

        var ex = Assert.Throws<ConfigException>(() => ControllerConfig.Load(Write("kubernetes:\n  kubeconfig: /nonexistent/kubeconfig\n"), ["--kubernetes:resyncSeconds=5"]));
        Assert.Contains(ex.Errors, e => e.Path == "kubernetes.kubeconfig" && e.Line == 6 && e.Message.Contains("not a readable file", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Path.StartsWith("kubernetes.resyncSeconds (command line", StringComparison.Ordinal));

        File.WriteAllText(kubeconfig, "apiVersion: v1\nkind: Config\n");
        var unusable = Assert.Throws<ConfigException>(() => ControllerConfig.Load(Write($"kubernetes:\n  kubeconfig: {kubeconfig}\n")));
        Assert.StartsWith("cannot be used: ", Assert.Single(unusable.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EtcdBackend_SectionChecked_NamingEachKey_IgnoredForTheFileStore()
    {
        var config = ControllerConfig.Load(Write("controller:\n  stateBackend: etcd\netcd:\n  endpoints: [http://127.0.0.1:2379, http://127.0.0.1:2380]\n  leaseSeconds: 3\n"));
        var options = ControllerHost.EtcdOptionsFor(config);
        Assert.Equal(2, options.Endpoints.Count);
        Assert.Equal((3, "/romana-aws/c1/", "/romana-aws/c1/state/"), (options.LeaseSeconds, options.Prefix, options.StatePrefix));
        Assert.Equal("file", ControllerConfig.Load(Write("etcd:\n  endpoints: [nonsense]\n")).Controller.StateBackend);

        var ex = Assert.Throws<ConfigException>(() => ControllerConfig.Load(Write(
            "controller:\n  stateBackend: etcd\netcd:\n  endpoints: [http://10.0.0.5:2379, 'https://x:2379/path']\n  prefix: romana\n  certFile: /etc/c.crt\n  leaseSeconds: 1\n")));
        var errors = ex.Errors.Select(e => e.ToString()).ToList();
        Assert.Contains(errors, e => e.Contains("etcd.endpoints", StringComparison.Ordinal) && e.Contains("plain http beyond loopback", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("https://x:2379/path", StringComparison.Ordinal) && e.Contains("no path", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("etcd.prefix", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("etcd.keyFile", StringComparison.Ordinal) && e.Contains("both certFile and keyFile", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("etcd.certFile", StringComparison.Ordinal) && e.Contains("not a readable file", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("etcd.leaseSeconds", StringComparison.Ordinal));
        Assert.Contains("must be file", Assert.Single(Assert.Throws<ConfigException>(() => ControllerConfig.Load(Write("controller:\n  stateBackend: consul\n"))).Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownSectionKey_IsAConfigErrorWithItsLine()
    {
        var ex = Assert.Throws<ConfigException>(() => ControllerConfig.Load(Write("controller:\n  resyncSecond: 10\n")));
        var error = Assert.Single(ex.Errors);
        Assert.Equal(("controller.resyncSecond", 6), (error.Path, error.Line));
        Assert.Contains("did you mean 'resyncSeconds'?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ReportsEveryBadSettingByKey()
    {
        var ex = Assert.Throws<ConfigException>(() => ControllerConfig.Load(Write("aws:\n  ec2ServiceUrl: not-a-url\n  mutationsPerSecond: 9\ncontroller:\n  resyncSeconds: 1\n  listen: nowhere\n  routeTables: [table-1]\n")));
        var errors = ex.Errors.Select(e => e.ToString()).ToList();
        Assert.Contains("controller.resyncSeconds (line 9): '1': must be a whole number from 5 to 3600", errors);
        Assert.Contains("controller.listen (line 10): 'nowhere': must be address:port, such as 127.0.0.1:9610", errors);
        Assert.Contains("controller.routeTables (line 11): 'table-1': is not a route table id (rtb-…)", errors);
        Assert.Contains("aws.ec2ServiceUrl (line 6): 'not-a-url': must be an absolute http(s) URL, such as http://127.0.0.1:4566/", errors);
        Assert.Contains("aws.mutationsPerSecond (line 7): '9': must be a number above 0 and at most 5", errors);
        Assert.Equal(5, errors.Count);
    }

    [Fact]
    public void Load_WrongTypedSettings_EachNamedWithLineValueAndWhatIsValid()
    {
        var ex = Assert.Throws<ConfigException>(() => ControllerConfig.Load(Write(
            "aws:\n  maxRetries: 1.5\ncontroller:\n  resyncSeconds: abc\n  hostGraceSeconds: 999999999999\n  dryRun: maybe\n  maxDeletesPerPass: [1, 2]\nhealth:\n  intervalMs: fast\n  probes: ec2\n")));
        var errors = ex.Errors.Select(e => e.ToString()).ToList();
        Assert.Contains("aws.maxRetries (line 6): '1.5': must be a whole number from 0 to 20", errors);
        Assert.Contains("controller.resyncSeconds (line 8): 'abc': must be a whole number from 5 to 3600", errors);
        Assert.Contains("controller.hostGraceSeconds (line 9): '999999999999': must be a whole number from 0 to 86400", errors);
        Assert.Contains("controller.dryRun (line 10): 'maybe': must be true or false", errors);
        Assert.Contains("controller.maxDeletesPerPass (line 11): must be a single whole number, not a list or mapping", errors);
        Assert.Contains("health.intervalMs (line 13): 'fast': must be a whole number from 100 to 60000", errors);
        Assert.Contains("health.probes (line 14): 'ec2': must be a list, such as [a, b]", errors);
        Assert.Equal(7, errors.Count);
    }

    [Fact]
    public void Load_WrongTypedEnvironmentVariable_NamesTheVariable()
    {
        Environment.SetEnvironmentVariable("ROMANA_CONTROLLER__RESYNCSECONDS", "abc");
        try
        {
            var ex = Assert.Throws<ConfigException>(() => ControllerConfig.Load(Write(string.Empty)));
            Assert.Equal("controller.resyncSeconds (environment variable ROMANA_CONTROLLER__RESYNCSECONDS): 'abc': must be a whole number from 5 to 3600", Assert.Single(ex.Errors).ToString());
        }
        finally
        {
            Environment.SetEnvironmentVariable("ROMANA_CONTROLLER__RESYNCSECONDS", null);
        }
    }

    [Fact]
    public void Load_WrongTypedSwitch_NamesTheSwitch()
    {
        var ex = Assert.Throws<ConfigException>(() => ControllerConfig.Load(Write(string.Empty), ["--health:timeoutMs=soon"]));
        Assert.Equal("health.timeoutMs (command line --health:timeoutMs): 'soon': must be a whole number from 10 to 30000", Assert.Single(ex.Errors).ToString());
    }

    [Fact]
    public void Load_ProbeList_ReplacesTheDefaultList()
    {
        Assert.Equal(["ec2"], ControllerConfig.Load(Write("health:\n  probes: [ec2]\n")).Health.Probes);
        Assert.Empty(ControllerConfig.Load(Write("health:\n  probes: []\n")).Health.Probes);
        Assert.Equal(["ec2", "http"], ControllerConfig.Load(Write(string.Empty)).Health.Probes);
    }

    [Fact]
    public void Load_TopologyAndSettingsErrors_ReportedTogether()
    {
        var path = Path.Combine(_directory, "c.yaml");
        File.WriteAllText(path, "cluster: c1\nnetworks:\n  - {name: pods, cidr: 100.96.0.1/11}\ncontroller:\n  resyncSeconds: abc\n");
        var ex = Assert.Throws<ConfigException>(() => ControllerConfig.Load(path));
        Assert.Contains(ex.Errors, e => e.Path == "networks[0].cidr");
        Assert.Contains(ex.Errors, e => e.Path == "controller.resyncSeconds");
    }

    [Fact]
    public void Load_EnvironmentOverridesTheFile()
    {
        Environment.SetEnvironmentVariable("ROMANA_CONTROLLER__MAXDELETESPERPASS", "2");
        try
        {
            Assert.Equal(2, ControllerConfig.Load(Write(string.Empty)).Controller.MaxDeletesPerPass);
        }
        finally
        {
            Environment.SetEnvironmentVariable("ROMANA_CONTROLLER__MAXDELETESPERPASS", null);
        }
    }
}
