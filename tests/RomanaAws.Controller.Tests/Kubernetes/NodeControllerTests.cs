using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using RomanaAws.Controller.Configuration;
using RomanaAws.Controller.Health;
using RomanaAws.Controller.Reconcile;
using RomanaAws.Core.Labels;
using RomanaAws.KubeSim;
using RomanaAws.Tests.Shared;
using RomanaAws.VpcSim.Faults;

namespace RomanaAws.Controller.Tests.Kubernetes;

/// <summary>
/// The whole controller host against the EC2 simulator and the Kubernetes API stand-in, reached through a kubeconfig
/// file: Node conditions, route events, a deleted Node's host, zone checks, and exactly the API calls it makes. The test
/// reads and writes the stand-in's store directly, so <see cref="KubeSimulator.Requests"/> holds the controller's calls only.
/// </summary>
public sealed class NodeControllerTests
{
    private const string Unhealthy = "i-0b000000000000002";

    private static readonly (string Name, string Instance, string Zone, string Label)[] Nodes =
    [
        ("master-a", "i-0a000000000000001", "us-east-1a", "us-east-1a"),
        ("node-a1", "i-0a000000000000002", "us-east-1a", "us-east-1a"),
        ("node-a2", "i-0a000000000000003", "us-east-1a", "us-east-1a"),
        ("node-a3", "i-0a000000000000004", "us-east-1a", "us-east-1a"),
        ("node-b1", "i-0b000000000000001", "us-east-1b", "us-east-1b"),
        ("node-b2", Unhealthy, "us-east-1b", "us-east-1b"),
        ("node-c1", "i-0c000000000000001", "us-east-1c", "us-east-1b"), // labelled in the wrong zone
    ];

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static JsonObject NodeObject(string name, string instance, string zone, string label) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["topology.kubernetes.io/zone"] = label } },
        ["spec"] = new JsonObject { ["providerID"] = $"aws:///{zone}/{instance}" },
        ["status"] = new JsonObject { ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" }) },
    };

    private static (string? Status, string? Reason) Condition(KubeSimulator sim, string node)
    {
        var conditions = sim.Store.Get(KubeResource.Nodes, null, node)["status"]?["conditions"]?.AsArray() ?? [];
        var condition = conditions.FirstOrDefault(c => c?["type"]?.GetValue<string>() == "NetworkUnavailable");
        return (condition?["status"]?.GetValue<string>(), condition?["reason"]?.GetValue<string>());
    }

    private static List<(string Node, string Reason, string Kind, string Type)> Events(KubeSimulator sim) =>
        sim.Store.List(KubeResource.Events, "default", LabelSelector.Everything, FieldSelector.Everything).Items
            .Select(e => (e["involvedObject"]!["name"]!.GetValue<string>(), e["reason"]!.GetValue<string>(), e["involvedObject"]!["kind"]!.GetValue<string>(), e["type"]!.GetValue<string>()))
            .ToList();

    private static async Task UntilAsync(Func<bool> done, string what, double seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not within {seconds} s: {what}");
            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System);
        }
    }

    [Fact]
    public async Task Controller_OnTheApi_SetsNetworkUnavailable_RecordsRouteEvents_RemovesADeletedNodesHost()
    {
        await using var f = await ControllerFixture.StartAsync(s => s.HealthEndpoints = true);
        await using var sim = await KubeSimulator.StartAsync(new KubeSimulatorOptions { BookmarkInterval = TimeSpan.FromSeconds(1) });
        var kubeconfig = Path.Combine(Path.GetDirectoryName(f.StatePath)!, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, sim.Kubeconfig());
        foreach (var (name, instance, zone, label) in Nodes)
        {
            sim.Store.Create(KubeResource.Nodes, null, NodeObject(name, instance, zone, label));
        }

        f.Simulator.Control.SetHealthFailing(Unhealthy, true);
        f.Simulator.Control.Faults = new FaultSettings { FailActions = new Dictionary<string, string> { ["CreateRoute"] = "RouteLimitExceeded" } };
        var port = FreePort();
        var config = ControllerConfig.Load(Path.Combine(ControllerFixture.Scenarios, "controller.yaml"),
        [
            $"--controller:listen=127.0.0.1:{port}", $"--controller:stateFile={f.StatePath}", $"--kubernetes:kubeconfig={kubeconfig}", "--metrics:enabled=false",
            "--health:intervalMs=200", "--health:timeoutMs=60",
        ]);
        await using var app = ControllerHost.Build(config, new ControllerHostOptions { Ec2 = f.Api, ProbeTargets = ProbeTargets.Mapped(() => f.Simulator.Control.HealthEndpoints) });
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        var reconciler = app.Services.GetRequiredService<Reconciler>();

        // EC2 refuses every route: the table is full. No node has its routes.
        await UntilAsync(() => Events(sim).Any(e => e.Reason == "RouteLimitExceeded" && e.Node == "master-a"), "RouteLimitExceeded event on master-a");
        Assert.All(Events(sim), e => Assert.Equal(("Node", "Warning"), (e.Kind, e.Type)));
        await UntilAsync(() => Condition(sim, "master-a") == ("True", "NoRouteCreated"), "master-a NetworkUnavailable=True NoRouteCreated");

        // Another refusal: FailedToCreateRoute.
        f.Simulator.Control.Faults = new FaultSettings { FailActions = new Dictionary<string, string> { ["CreateRoute"] = "UnauthorizedOperation" } };
        await http.PostAsync("v1/reconcile", null);
        await UntilAsync(() => Events(sim).Any(e => e.Reason == "FailedToCreateRoute" && e.Node == "node-a1"), "FailedToCreateRoute event on node-a1");

        // EC2 accepts: every node with a healthy agent gets RouteCreated; the failing agent's node stays unavailable.
        f.Simulator.Control.Faults = FaultSettings.None;
        await http.PostAsync("v1/reconcile", null);
        foreach (var (name, _, _, _) in Nodes.Where(n => n.Instance != Unhealthy))
        {
            await UntilAsync(() => Condition(sim, name) == ("False", "RouteCreated"), $"{name} NetworkUnavailable=False RouteCreated");
        }

        await UntilAsync(() => Condition(sim, "node-b2") == ("True", "AgentUnhealthy"), "node-b2 NetworkUnavailable=True AgentUnhealthy");
        Assert.Equal(2, sim.Store.Get(KubeResource.Nodes, null, "master-a")["status"]!["conditions"]!.AsArray().Count);
        using (var routes = JsonDocument.Parse(await http.GetStringAsync("v1/routes")))
        {
            Assert.Contains(routes.RootElement.GetProperty("warnings").EnumerateArray(),
                w => w.GetString() == "node node-c1: label topology.kubernetes.io/zone=us-east-1b, but EC2 has i-0c000000000000001 in us-east-1c");
        }

        // A terminated instance whose Node is deleted loses its host at once (hostGraceSeconds is 300).
        Assert.Contains("i-0a000000000000004", reconciler.RegisteredHosts);
        await f.Simulator.Control.TerminateInstanceAsync("i-0a000000000000004");
        sim.Store.Delete(KubeResource.Nodes, null, "node-a3");
        await UntilAsync(() => !reconciler.RegisteredHosts.Contains("i-0a000000000000004"), "node-a3's host removed", seconds: 5);

        await app.StopAsync();
        // Every call the controller can make, and no other: exactly what the kops addon's RBAC grants its service account.
        var calls = sim.Requests.Select(r => $"{r.Verb} {r.Group}/{r.Resource} {r.Namespace}").Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["create /events default", "list /nodes ", "patch /nodes/status ", "watch /nodes "], calls);
        Assert.All(sim.Requests.Where(r => r.Verb != "watch"), r => Assert.InRange(r.Status, 200, 299));
        // The grant for TokenReview is used where tokens are checked (Security/SecureApiTests.Rbac_...); this API is on loopback.
        Assert.Equal((await KopsRbac.GrantedAsync("romana-aws-controller")).Except(["authentication.k8s.io/tokenreviews:create"]).Order(), sim.Requests.Select(r => $"{r.Group}/{r.Resource}:{r.Verb}").Distinct().Order());
    }
}
