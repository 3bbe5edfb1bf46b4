using RomanaAws.Controller.Configuration;
using RomanaAws.Core.Configuration;

namespace RomanaAws.Controller.Tests.Configuration;

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
        Assert.Empty(config.Validate());
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
    public void Validate_ReportsEveryBadSettingByKey()
    {
        var config = ControllerConfig.Load(Write("aws:\n  ec2ServiceUrl: not-a-url\n  mutationsPerSecond: 9\ncontroller:\n  resyncSeconds: 1\n  listen: nowhere\n  routeTables: [table-1]\n"));
        var errors = config.Validate();
        Assert.Contains(errors, e => e.StartsWith("controller:resyncSeconds: 1 must be from 5 to 3600", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("controller:listen: 'nowhere'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("controller:routeTables: 'table-1'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("aws:ec2ServiceUrl: 'not-a-url'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("aws:mutationsPerSecond: 9", StringComparison.Ordinal));
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
