using System.Net;
using System.Text.Json;
using k8s;
using k8s.Models;
using RomanaAws.KubeSim;
using RomanaAws.Core.Routing;
using RomanaAws.Tests.Shared;

namespace RomanaAws.Controller.Tests.Api;

/// <summary>
/// The controller in routing mode bgp: hosts from the configuration, no EC2 call at all (the fake EC2 fails the test
/// on any call), each agent's desired state carrying its BGP advertisement.
/// </summary>
public sealed class BgpModeHostTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("romana-bgp-host-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Host_BgpMode_RegistersConfiguredHostsServesAdvertisementsAndNeverCallsEc2()
    {
        var config = Path.Combine(_directory, "controller.yaml");
        await File.WriteAllTextAsync(config, $$"""
            cluster: dc.example
            networks:
              - name: pods
                cidr: 100.96.0.0/16
            zones: [dc1]
            groupsPerSubnet: 2
            routing:
              mode: bgp
              asn: 64512
              racks:
                - name: rack-1
                  cidr: 10.1.0.0/24
                  peers: [{ address: 10.1.0.1, asn: 65001, bfd: true }]
              hosts:
                - { name: node-1, ip: 10.1.0.11 }
                - { name: node-2, ip: 10.1.0.12 }
                - { name: node-3, ip: 10.1.0.13 }
            controller:
              stateFile: {{Path.Combine(_directory, "state.json")}}
            """);
        var ec2 = new FakeEc2([], []);
        var calls = new List<FakeEc2Call>();
        ec2.BeforeCall = calls.Add;
        var (app, port) = await HostStarter.StartAsync(config, [], new ControllerHostOptions { Ec2 = ec2, LogFormat = "quiet" });
        await using (app)
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            using var three = await AgentStateAsync(http, "node-3", TimeSpan.FromSeconds(30));
            using var one = JsonDocument.Parse(await http.GetStringAsync("v1/agents/node-1"));
            var bgp = three.RootElement.GetProperty("bgp");
            Assert.Equal("rack-1", bgp.GetProperty("rack").GetString());
            Assert.Equal(64512, bgp.GetProperty("localAsn").GetInt64());
            Assert.Equal("10.1.0.13", bgp.GetProperty("routerId").GetString());
            Assert.Equal(three.RootElement.GetProperty("groups").EnumerateArray().Select(g => g.GetString()), bgp.GetProperty("prefixes").EnumerateArray().Select(p => p.GetString()));

            // node-1 and node-3 share the first group (a host joins the group with fewest hosts): one prefix for both.
            Assert.Equal(one.RootElement.GetProperty("bgp").GetProperty("prefixes").GetRawText(), bgp.GetProperty("prefixes").GetRawText());
            var neighbor = Assert.Single(bgp.GetProperty("neighbors").EnumerateArray().ToList());
            Assert.Equal(("10.1.0.1", 65001L, true), (neighbor.GetProperty("address").GetString(), neighbor.GetProperty("asn").GetInt64(), neighbor.GetProperty("bfd").GetBoolean()));
            Assert.Equal(["node-1", "node-2"], three.RootElement.GetProperty("peers").EnumerateArray().Select(p => p.GetProperty("instanceId").GetString()));

            // An agent claims a block by its node name, as in vpc mode by its instance id.
            using var claim = await http.PostAsync("v1/agents/node-2/blocks", new StringContent("""{"owner":"default"}""", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Created, claim.StatusCode);
            Assert.Empty(calls);
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task Host_OspfMode_KubernetesNodesInARackBecomeHosts_OthersDoNot()
    {
        await using var kube = await KubeSimulator.StartAsync();
        var kubeconfig = Path.Combine(_directory, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, kube.Kubeconfig());
        using var client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = kube.Endpoint.ToString() });
        foreach (var (name, ip) in new[] { ("worker-a", "10.1.0.21"), ("worker-b", "192.168.9.9") })
        {
            await AddNodeAsync(client, name, ip);
        }

        var config = Path.Combine(_directory, "controller.yaml");
        await File.WriteAllTextAsync(config, $$"""
            cluster: dc.example
            networks:
              - name: pods
                cidr: 100.96.0.0/16
            zones: [dc1]
            routing:
              mode: ospf
              racks:
                - { name: rack-1, cidr: 10.1.0.0/24 }
              hosts:
                - { name: node-1, ip: 10.1.0.11 }
            controller:
              stateFile: {{Path.Combine(_directory, "state.json")}}
            kubernetes:
              kubeconfig: {{kubeconfig}}
            """);
        var ec2 = new FakeEc2([], []);
        var calls = new List<FakeEc2Call>();
        ec2.BeforeCall = calls.Add;
        var (app, port) = await HostStarter.StartAsync(config, ["--metrics:enabled=false"], new ControllerHostOptions { Ec2 = ec2, LogFormat = "quiet" });
        await using (app)
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            using var worker = await AgentStateAsync(http, "worker-a", TimeSpan.FromSeconds(30));
            var ospf = worker.RootElement.GetProperty("ospf");
            Assert.Equal(("rack-1", "0.0.0.1", "10.1.0.21"), (ospf.GetProperty("rack").GetString(), ospf.GetProperty("area").GetString(), ospf.GetProperty("routerId").GetString()));
            Assert.Equal(["node-1"], worker.RootElement.GetProperty("peers").EnumerateArray().Select(p => p.GetProperty("instanceId").GetString()));
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("v1/agents/node-1")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("v1/agents/worker-b")).StatusCode);

            // A Node added later is registered by the pass it triggers, long before the periodic resync.
            await AddNodeAsync(client, "worker-c", "10.1.0.22");
            using var later = await AgentStateAsync(http, "worker-c", TimeSpan.FromSeconds(10));
            Assert.Equal("10.1.0.22", later.RootElement.GetProperty("ospf").GetProperty("routerId").GetString());

            Assert.Empty(calls);
            await app.StopAsync();
        }
    }

    /// <summary>A Node as the kubelet registers it: created, then its addresses written through the status subresource.</summary>
    private static async Task AddNodeAsync(k8s.Kubernetes client, string name, string ip)
    {
        await client.CoreV1.CreateNodeAsync(new V1Node { Metadata = new V1ObjectMeta { Name = name } });
        var status = $$$"""{"status":{"addresses":[{"type":"InternalIP","address":"{{{ip}}}"}]}}""";
        await client.CoreV1.PatchNodeStatusAsync(new V1Patch(status, V1Patch.PatchType.MergePatch), name);
    }

    /// <summary>The host's desired state once the controller has registered it (404 until then).</summary>
    private static async Task<JsonDocument> AgentStateAsync(HttpClient http, string host, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            using var answer = await http.GetAsync($"v1/agents/{host}");
            if (answer.StatusCode == HttpStatusCode.OK)
            {
                return JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
            }

            Assert.True(DateTime.UtcNow < deadline, $"{host} was not registered within {timeout.TotalSeconds:0} s");
            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System);
        }
    }
}
