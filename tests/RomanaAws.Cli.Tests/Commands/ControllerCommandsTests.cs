using System.Text.Json;
using RomanaAws.VpcSim;
using RomanaAws.VpcSim.Scenario;

namespace RomanaAws.Cli.Tests.Commands;

/// <summary><c>controller --once</c> and <c>routes</c> against a simulator on an ephemeral loopback port.</summary>
public sealed class ControllerCommandsTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("romana-ctl-cli-").FullName;
    private VpcSimulator? _sim;

    private string Config => Path.Combine(_directory, "controller.yaml");

    public async Task InitializeAsync()
    {
        var scenario = ScenarioLoader.Parse(await File.ReadAllTextAsync(CliRun.Example("sim-3zone.yaml")), "sim-3zone.yaml");
        scenario.HealthEndpoints = false;
        scenario.TransitionSeconds = 0;
        _sim = await VpcSimulator.StartAsync(scenario);
        var text = (await File.ReadAllTextAsync(CliRun.Example("controller.yaml")))
            .Replace("http://127.0.0.1:4566/", _sim.Endpoint.ToString(), StringComparison.Ordinal)
            .Replace("stateFile: romana-ipam-state.json", $"stateFile: {Path.Combine(_directory, "state.json")}", StringComparison.Ordinal);
        await File.WriteAllTextAsync(Config, text);
    }

    public async Task DisposeAsync()
    {
        await _sim!.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Routes_OutOfSyncThenOnceThenInSync()
    {
        var before = await CliRun.Of("routes", "--config", Config);
        Assert.Equal(1, before.ExitCode);
        Assert.Contains("OUT OF SYNC", before.Output, StringComparison.Ordinal);
        Assert.Contains("missing", before.Output, StringComparison.Ordinal);

        var once = await CliRun.Of("controller", "--config", Config, "--once");
        Assert.Equal(0, once.ExitCode);
        Assert.Contains("reconciled 3 table(s) (tagged)", once.Output, StringComparison.Ordinal);

        var after = await CliRun.Of("routes", "--config", Config, "--table", "rtb-0b0b0b0b0b0b0b0b1");
        Assert.Equal(0, after.ExitCode);
        Assert.Contains("budget 9/50 (headroom 5)", after.Output, StringComparison.Ordinal);
        Assert.Contains("100.104.0.0/15  us-east-1b", after.Output, StringComparison.Ordinal);

        var json = await CliRun.Of("routes", "--config", Config, "--output", "json");
        using var document = JsonDocument.Parse(json.Output);
        Assert.True(document.RootElement.GetProperty("inSync").GetBoolean());
        Assert.Equal(3, document.RootElement.GetProperty("tables").GetArrayLength());

        Assert.Equal(2, (await CliRun.Of("routes", "--config", Config, "--table", "rtb-00000000000000099")).ExitCode);
    }

    [Fact]
    public async Task Controller_BadSettings_ExitTwoNamingKeys()
    {
        await File.AppendAllTextAsync(Config, string.Empty);
        var text = (await File.ReadAllTextAsync(Config)).Replace("resyncSeconds: 30", "resyncSeconds: 2", StringComparison.Ordinal);
        await File.WriteAllTextAsync(Config, text);
        var run = await CliRun.Of("controller", "--config", Config, "--once");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("controller.resyncSeconds (line 18): '2': must be a whole number from 5 to 3600", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Controller_KubeconfigFlag_IsCheckedLikeTheSetting()
    {
        var missing = Path.Combine(_directory, "no-kubeconfig");
        var run = await CliRun.Of("controller", "--config", Config, "--once", "--kubeconfig", missing);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"kubernetes.kubeconfig (command line --kubernetes:kubeconfig): '{missing}': is not a readable file", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preflight_ReadyThenDenied_ExitCodeAndFixes()
    {
        var ready = await CliRun.Of("preflight", "--config", Config);
        Assert.True(ready.ExitCode == 0, ready.Output + ready.Error);
        Assert.Contains("checks passed; ready to install", ready.Output, StringComparison.Ordinal);
        Assert.Contains("... dry-running route writes in 3 table(s)", ready.Error, StringComparison.Ordinal);

        _sim!.Control.Faults = new VpcSim.Faults.FaultSettings { UnauthorizedActions = new HashSet<string> { "ModifyNetworkInterfaceAttribute" } };
        var denied = await CliRun.Of("preflight", "--config", Config, "--output", "json");
        Assert.Equal(1, denied.ExitCode);
        using var json = JsonDocument.Parse(denied.Output);
        var failed = json.RootElement.GetProperty("checks").EnumerateArray().Where(c => !c.GetProperty("ok").GetBoolean()).ToList();
        var check = Assert.Single(failed);
        Assert.Equal("ec2:ModifyNetworkInterfaceAttribute", check.GetProperty("name").GetString());
        Assert.StartsWith("allow ec2:ModifyNetworkInterfaceAttribute on eni-", check.GetProperty("fix").GetString(), StringComparison.Ordinal);
    }
}
