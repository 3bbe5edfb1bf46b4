using System.Net;
using System.Net.Http.Json;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;
using RomanaAws.Agent.Cni;
using RomanaAws.Agent.Ipam;
using RomanaAws.Agent.Kubernetes;
using RomanaAws.Agent.Service;
using RomanaAws.CniProtocol;
using RomanaAws.Core.Agents;
using RomanaAws.Core.Net;
using RomanaAws.KubeSim;
using RomanaAws.Tests.Shared;

namespace RomanaAws.Controller.Tests.Api;

/// <summary>
/// Several pod networks (the topology's <c>networks</c>), end to end: pods in the Kubernetes API stand-in, the agent's CNI
/// socket (real unix socket) reading each pod's <c>romana.io/network</c> at ADD, blocks claimed from the real controller
/// host (loopback HTTP, the simulator behind it). A pod naming the second network gets its address from a block carved
/// from that network; one naming nothing or the default network's own name from the default; an unknown name fails ADD
/// with code 7 naming it and the networks there are; all of it survives an agent restart.
/// </summary>
public sealed class PodNetworkTests : IDisposable
{
    private const string Host1 = "i-0a000000000000001";
    private static readonly Cidr Pods = Cidr.Parse("100.96.0.0/11");
    private static readonly Cidr Batch = Cidr.Parse("100.160.0.0/11");
    private readonly string _directory = Directory.CreateTempSubdirectory("romana-networks-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string TwoNetworks(string yaml) =>
        yaml.Replace("    blockMask: 28\n", $"    blockMask: 28\n  - name: batch\n    cidr: {Batch}\n    blockMask: 28\n", StringComparison.Ordinal);

    [Fact]
    public async Task Add_PodAnnotatedWithANetwork_AddressFromThatNetworksBlock_UnknownNameFailsNamingIt()
    {
        await using var rig = await AgentBlocksApiTests.StartAsync(TwoNetworks);
        await using var kube = await KubeSimulator.StartAsync();
        using var client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = kube.Endpoint.ToString() });
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "shop" } });
        foreach (var (name, network) in new[] { ("plain", (string?)null), ("batch-1", "batch"), ("named-default", "pods"), ("typo", "bacth") })
        {
            var annotations = network is null ? null : new Dictionary<string, string> { [NetworkChoice.Annotation] = network };
            await client.CoreV1.CreateNamespacedPodAsync(
                new V1Pod { Metadata = new V1ObjectMeta { Name = name, Annotations = annotations }, Spec = new V1PodSpec { Containers = [new V1Container { Name = "c" }] } }, "shop");
        }

        // The desired state names the networks, the default first; the agent takes them with its blocks (as each sync does).
        var desired = (await rig.Http.GetFromJsonAsync<AgentDesiredState>($"v1/agents/{Host1}", AgentSync.Json))!;
        Assert.Equal(["pods", "batch"], desired.Networks);
        var checkpoint = new CheckpointFile(Path.Combine(_directory, "ipam.json"));
        var addresses = new PodAddressService(checkpoint, [], _ => true);
        addresses.SetBlocks(desired.Blocks, desired.Networks);

        using var http = new HttpClient();
        using var keeper = new BlockKeeper(addresses, new ControllerBlocksClient(http, rig.Url, Host1), new BlockDemand(), new FakeTimeProvider());
        var socket = Path.Combine(_directory, "cni.sock");
        var lookup = new PodOwnerLookup(client, cache: null);
        await using (var app = await CniSocketHost.StartAsync(socket, addresses, () => new CniStatus(0, "ready"), CancellationToken.None, keeper.ClaimNowAsync, lookup.ResolveAsync))
        {
            using var cni = UnixSocketHttp.Client(socket);
            var plain = await AddAsync(cni, "c-plain", "plain");
            var batch = await AddAsync(cni, "c-batch", "batch-1");
            var named = await AddAsync(cni, "c-named", "named-default");
            Assert.True(Pods.Contains(IPAddress.Parse(plain.Address)), plain.Address);
            Assert.True(Batch.Contains(IPAddress.Parse(batch.Address)), batch.Address);
            Assert.Equal(plain.Block, named.Block); // naming the default network is the default pool, not a second block

            using var typo = await cni.PostAsJsonAsync("v1/cni/add", new CniAddRequest("c-typo", "eth0", "shop", null, "shop", "typo"));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, typo.StatusCode);
            var problem = (await typo.Content.ReadFromJsonAsync<CniProblem>())!;
            Assert.Equal(7, problem.Code);
            Assert.Contains("romana.io/network 'bacth' is not a network of the topology (networks: pods, batch)", problem.Message, StringComparison.Ordinal);
            Assert.Contains("shop/typo", problem.Message, StringComparison.Ordinal);

            // The controller holds one block per pool, each in its network, and serves them back with their network.
            var state = await rig.StateAsync();
            Assert.Contains(state.Blocks, b => b.Host == Host1 && b.Owner == "shop" && b.Network == "batch" && b.Cidr.ToString() == batch.Block);
            Assert.Contains(state.Blocks, b => b.Host == Host1 && b.Owner == "shop" && b.Network == "pods" && b.Cidr.ToString() == plain.Block);
            Assert.DoesNotContain(state.Blocks, b => b.Host == Host1 && b.Owner == "shop" && b.Cidr.ToString() != batch.Block && b.Cidr.ToString() != plain.Block);
            desired = (await rig.Http.GetFromJsonAsync<AgentDesiredState>($"v1/agents/{Host1}", AgentSync.Json))!;
            Assert.Contains(new OwnedBlock(Cidr.Parse(batch.Block), "shop", "batch"), desired.Blocks);
            addresses.SetBlocks(desired.Blocks, desired.Networks);
            Assert.Equal([new AddressPool("shop"), new AddressPool("shop", "batch")], addresses.Pools().Select(p => p.Pool));
        }

        // The agent restarts before any sync: the checkpoint keeps each pod's network and the topology's names.
        var restarted = new PodAddressService(checkpoint, [], _ => true);
        Assert.Equal("batch", restarted.Find(new AttachmentKey("c-batch", "eth0"))!.Network);
        Assert.Null(restarted.Find(new AttachmentKey("c-plain", "eth0"))!.Network);
        Assert.Equal("batch", restarted.ResolveNetwork("batch").Network);
        Assert.Contains("'bacth' is not a network", restarted.ResolveNetwork("bacth").Problem, StringComparison.Ordinal);
    }

    private static async Task<CniAddress> AddAsync(HttpClient cni, string container, string pod)
    {
        using var response = await cni.PostAsJsonAsync("v1/cni/add", new CniAddRequest(container, "eth0", "shop", null, "shop", pod));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<CniAddress>())!;
    }
}
