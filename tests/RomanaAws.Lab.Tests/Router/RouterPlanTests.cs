using System.Net.Http.Json;
using System.Text.Json;
using RomanaAws.Lab.Router;
using RomanaAws.VpcSim;
using RomanaAws.VpcSim.Dataplane;
using RomanaAws.VpcSim.Scenario;

namespace RomanaAws.Lab.Tests.Router;

/// <summary>The simulator's data plane (a real simulator, the shipped 3-zone scenario) as the VPC router's kernel routing.</summary>
public sealed class RouterPlanTests
{
    private static async Task<VpcSimulator> StartAsync()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Scenarios", "sim-3zone.yaml");
        var scenario = ScenarioLoader.Parse(await File.ReadAllTextAsync(path), path);
        scenario.TransitionSeconds = 0;
        scenario.HealthEndpoints = false;
        return await VpcSimulator.StartAsync(scenario);
    }

    [Fact]
    public async Task For_Sim3Zone_BridgePerSubnetTablePerRouteTableRoutesResolved()
    {
        await using var sim = await StartAsync();
        var state = RouterPlan.For(sim.Control.Dataplane());

        Assert.Equal(["subnet-0a1a0a1a0a1a0a1a0", "subnet-0a1a1a1a1a1a1a1a1", "subnet-0b1b1b1b1b1b1b1b1", "subnet-0c1c1c1c1c1c1c1c1"], state.Subnets.Select(s => s.SubnetId));
        var privateA = state.Subnets.Single(s => s.SubnetId == "subnet-0a1a1a1a1a1a1a1a1");
        Assert.Equal(("172.20.32.1", 19), (privateA.RouterAddress, privateA.PrefixLength));

        var table = state.Tables.Single(t => t.RouteTableId == "rtb-0a0a0a0a0a0a0a0a1");
        Assert.Equal([privateA.Bridge], table.Bridges);
        Assert.Equal(4, table.Routes.Count(r => r.Kind == KernelRouteKind.Connected));
        Assert.Contains(new RouterRoute("10.99.0.0/16", KernelRouteKind.Via, null, "172.20.0.10"), table.Routes);
        Assert.Contains(new RouterRoute("0.0.0.0/0", KernelRouteKind.Unreachable, null, null), table.Routes);
        Assert.Contains(new RouterRoute("10.50.0.0/16", KernelRouteKind.Unreachable, null, null), table.Routes);
        Assert.Equal(["s0"], state.Tables.Single(t => t.RouteTableId == "rtb-0000000000000000a").Bridges);
        Assert.False(state.OnWire["i-0c000000000000003"]); // stopped in the scenario
        Assert.True(state.OnWire["i-0a000000000000002"]);
    }

    [Fact]
    public async Task For_TargetStopped_BlackholeAndOffTheWire()
    {
        await using var sim = await StartAsync();
        await sim.Control.StopInstanceAsync("i-0bbbbbbbbbbbbbbb0");
        var state = RouterPlan.For(sim.Control.Dataplane());
        Assert.Contains(new RouterRoute("10.99.0.0/16", KernelRouteKind.Blackhole, null, null), state.Tables.Single(t => t.RouteTableId == "rtb-0a0a0a0a0a0a0a0a1").Routes);
        Assert.False(state.OnWire["i-0bbbbbbbbbbbbbbb0"]);
    }

    [Fact]
    public async Task TableCommands_OnlyChangedTablesAndRemovedRoutesDeleted()
    {
        await using var sim = await StartAsync();
        var before = RouterPlan.For(sim.Control.Dataplane());
        var all = RouterPlan.TableCommands(before, null);
        Assert.Contains("route replace 10.99.0.0/16 via 172.20.0.10 table 101", all);
        Assert.Contains("route replace 172.20.32.0/19 dev s1 table 101", all);
        Assert.Contains("route replace unreachable 0.0.0.0/0 table 101", all);
        Assert.Empty(RouterPlan.TableCommands(before, before));

        await sim.Control.StopInstanceAsync("i-0bbbbbbbbbbbbbbb0");
        var after = RouterPlan.For(sim.Control.Dataplane());
        var changed = RouterPlan.TableCommands(after, before);
        Assert.Contains("route replace blackhole 10.99.0.0/16 table 101", changed);
        Assert.All(changed, line => Assert.EndsWith("table 101", line, StringComparison.Ordinal));

        var trimmed = before with { Tables = before.Tables.Select(t => t with { Routes = t.Routes.Where(r => r.Destination != "10.99.0.0/16").ToList() }).ToList() };
        Assert.Equal(["route del 10.99.0.0/16 table 101"], RouterPlan.TableCommands(trimmed, before).Where(l => l.StartsWith("route del", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AdminApi_Dataplane_SameSnapshotOverHttp()
    {
        await using var sim = await StartAsync();
        using var http = new HttpClient();
        var overHttp = await http.GetFromJsonAsync<VpcDataplane>(new Uri(sim.AdminEndpoint, "dataplane"), new JsonSerializerOptions(JsonSerializerDefaults.Web));
        var direct = sim.Control.Dataplane();
        Assert.Equal(JsonSerializer.Serialize(direct), JsonSerializer.Serialize(overHttp));
        Assert.Equal("172.20.0.0/16", overHttp!.VpcCidr);
    }
}
