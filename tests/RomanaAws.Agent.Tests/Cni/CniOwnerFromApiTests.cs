using System.Net;
using System.Net.Http.Json;
using k8s;
using k8s.Models;
using RomanaAws.Agent.Cni;
using RomanaAws.Agent.Ipam;
using RomanaAws.Agent.Kubernetes;
using RomanaAws.CniProtocol;
using RomanaAws.Core.Agents;
using RomanaAws.Core.Net;
using RomanaAws.KubeSim;
using RomanaAws.Tests.Shared;

namespace RomanaAws.Agent.Tests.Cni;

/// <summary>
/// The owner of a new pod's address read from the API at ADD (the runtime passes only namespace and name): a pod with
/// <c>romana.io/segment</c> gets an address from its namespace/segment's block; an unknown pod or an unreachable API is
/// "try again later" (CNI 11), never an address in a guessed owner's block.
/// </summary>
public sealed class CniOwnerFromApiTests : IAsyncLifetime, IDisposable
{
    private static readonly OwnedBlock[] Blocks = [new(Cidr.Parse("100.96.0.0/26"), "shop"), new(Cidr.Parse("100.96.0.64/26"), "shop/web")];
    private readonly string _directory = Directory.CreateTempSubdirectory("romana-cni-owner-").FullName;
    private KubeSimulator _sim = null!;
    private k8s.Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _sim = await KubeSimulator.StartAsync();
        _client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = _sim.Endpoint.ToString() });
        await _client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "shop" } });
        foreach (var (name, segment) in new[] { ("api-1", (string?)null), ("web-1", "web") })
        {
            var labels = segment is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["romana.io/segment"] = segment };
            await _client.CoreV1.CreateNamespacedPodAsync(new V1Pod { Metadata = new V1ObjectMeta { Name = name, Labels = labels }, Spec = new V1PodSpec { Containers = [new V1Container { Name = "c" }] } }, "shop");
        }
    }

    public async Task DisposeAsync() => await _sim.DisposeAsync();

    public void Dispose()
    {
        _client.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Add_OwnerFromThePodsSegmentLabel_UnknownPodIsTryAgainLater()
    {
        var socket = Path.Combine(_directory, "cni.sock");
        var addresses = new PodAddressService(new CheckpointFile(Path.Combine(_directory, "ipam.json")), Blocks, _ => true);
        var lookup = new PodOwnerLookup(_client, cache: null);
        await using var app = await CniSocketHost.StartAsync(socket, addresses, () => new CniStatus(0, "ready"), CancellationToken.None, owners: lookup.ResolveAsync);
        using var http = UnixSocketHttp.Client(socket);

        var web = await AddAsync(http, new CniAddRequest("c-web", "eth0", "shop", null, "shop", "web-1"));
        var api = await AddAsync(http, new CniAddRequest("c-api", "eth0", "shop", null, "shop", "api-1"));
        Assert.True(Cidr.Parse("100.96.0.64/26").Contains(IPAddress.Parse(web.Address)), web.Address);
        Assert.True(Cidr.Parse("100.96.0.0/26").Contains(IPAddress.Parse(api.Address)), api.Address);

        using var missing = await http.PostAsJsonAsync("v1/cni/add", new CniAddRequest("c-x", "eth0", "shop", null, "shop", "nope"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, missing.StatusCode);
        var problem = (await missing.Content.ReadFromJsonAsync<CniProblem>())!;
        Assert.Equal(11, problem.Code);
        Assert.Contains("shop/nope", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_SegmentLabel_NamespaceOtherwise_SlashRefused()
    {
        V1Pod Pod(string? segment) => new() { Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "ns", Labels = segment is null ? null : new Dictionary<string, string> { ["romana.io/segment"] = segment } } };
        Assert.Equal("ns", PodOwner.Decide(Pod(null)).Owner);
        Assert.Equal("ns/db", PodOwner.Decide(Pod("db")).Owner);
        Assert.Equal("ns", PodOwner.Decide(Pod(string.Empty)).Owner);
        Assert.Contains("may not contain '/'", PodOwner.Decide(Pod("a/b")).Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, null)]
    [InlineData("batch", null, "batch")]
    [InlineData("batch", "db", "batch")]
    [InlineData("", null, null)]
    public void Decide_NetworkAnnotation_PassedOnBesideTheOwner(string? network, string? segment, string? expected)
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = "p",
                NamespaceProperty = "ns",
                Labels = segment is null ? null : new Dictionary<string, string> { ["romana.io/segment"] = segment },
                Annotations = network is null ? null : new Dictionary<string, string> { [NetworkChoice.Annotation] = network },
            },
        };
        var decision = PodOwner.Decide(pod);
        Assert.Equal(segment is null ? "ns" : $"ns/{segment}", decision.Owner);
        Assert.Equal(expected, decision.Network);
    }

    private static async Task<CniAddress> AddAsync(HttpClient http, CniAddRequest request)
    {
        using var response = await http.PostAsJsonAsync("v1/cni/add", request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<CniAddress>())!;
    }
}
