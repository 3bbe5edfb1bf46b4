using System.Net;
using System.Net.Http.Json;
using RomanaAws.Agent.Cni;
using RomanaAws.Agent.Ipam;
using RomanaAws.CniProtocol;
using RomanaAws.Core.Agents;
using RomanaAws.Core.Net;
using RomanaAws.Tests.Shared;

namespace RomanaAws.Agent.Tests.Cni;

/// <summary>The agent's CNI API over a real unix socket, with the checkpoint on disk.</summary>
public sealed class CniSocketTests : IDisposable
{
    private static readonly OwnedBlock[] Blocks = [new(Cidr.Parse("100.96.0.0/26"), "default"), new(Cidr.Parse("100.96.0.64/26"), "default")];
    private readonly string _directory = Directory.CreateTempSubdirectory("romana-cni-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static CniStatus Ready() => new(0, "ready");

    private string Socket => Path.Combine(_directory, "run", "cni.sock");

    private CheckpointFile Checkpoint => new(Path.Combine(_directory, "ipam.json"));

    private HttpClient Client() => UnixSocketHttp.Client(Socket);

    private static async Task<CniAddress> AddAsync(HttpClient http, string container, string owner = "default")
    {
        using var response = await http.PostAsJsonAsync("v1/cni/add", new CniAddRequest(container, "eth0", owner, $"/run/netns/{container}"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<CniAddress>())!;
    }

    [Fact]
    public async Task Add_RepeatedAndConcurrent_IdempotentAndDistinct()
    {
        await using var app = await CniSocketHost.StartAsync(Socket, new PodAddressService(Checkpoint, Blocks, _ => true), Ready, CancellationToken.None);
        using var http = Client();
        Assert.True(OperatingSystem.IsWindows() || (File.GetUnixFileMode(Socket) & (UnixFileMode)0x1FF) == (UnixFileMode.UserRead | UnixFileMode.UserWrite));

        var first = await AddAsync(http, "c-one");
        var again = await AddAsync(http, "c-one");
        Assert.Equal((first.Address, true), (again.Address, again.Existing));

        var many = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => AddAsync(http, $"c-{i}")));
        Assert.Equal(100, many.Select(m => m.Address).Distinct().Count());
        Assert.DoesNotContain(first.Address, many.Select(m => m.Address));
        Assert.Equal(101, Checkpoint.Load().Attachments.Count);
    }

    [Fact]
    public async Task Restart_FromCheckpoint_KeepsAddressesAndDropsGoneContainers()
    {
        string kept;
        string gone;
        await using (var app = await CniSocketHost.StartAsync(Socket, new PodAddressService(Checkpoint, Blocks, _ => true), Ready, CancellationToken.None))
        {
            using var http = Client();
            kept = (await AddAsync(http, "c-kept")).Address;
            gone = (await AddAsync(http, "c-gone")).Address;
        }

        var service = new PodAddressService(Checkpoint, Blocks, a => a.Key.ContainerId != "c-gone");
        Assert.Equal(["c-gone"], service.Dropped.Select(d => d.Key.ContainerId));
        await using var restarted = await CniSocketHost.StartAsync(Socket, service, Ready, CancellationToken.None);
        using var client = Client();
        Assert.Equal(kept, (await AddAsync(client, "c-kept")).Address);
        Assert.Equal(gone, (await AddAsync(client, "c-new")).Address);
    }

    [Fact]
    public async Task Del_FreesAndRepeats_CheckAndErrorsCarryCniCodes()
    {
        await using var app = await CniSocketHost.StartAsync(Socket, new PodAddressService(Checkpoint, Blocks, _ => true), Ready, CancellationToken.None);
        using var http = Client();
        var held = await AddAsync(http, "c-1");
        using (var check = await http.PostAsJsonAsync("v1/cni/check", new CniKeyRequest("c-1", "eth0")))
        {
            Assert.Equal(held.Address, (await check.Content.ReadFromJsonAsync<CniAddress>())!.Address);
        }

        for (var i = 0; i < 2; i++)
        {
            using var del = await http.PostAsJsonAsync("v1/cni/del", new CniKeyRequest("c-1", "eth0"));
            Assert.Equal(HttpStatusCode.OK, del.StatusCode);
        }

        Assert.Empty(Checkpoint.Load().Attachments);
        Assert.Equal(held.Address, (await AddAsync(http, "c-2")).Address);

        using var noBlock = await http.PostAsJsonAsync("v1/cni/add", new CniAddRequest("c-3", "eth0", "other-ns", null));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, noBlock.StatusCode);
        Assert.Equal(11, (await noBlock.Content.ReadFromJsonAsync<CniProblem>())!.Code);
        using var bad = await http.PostAsJsonAsync("v1/cni/add", new CniAddRequest("c-4", "an-interface-name-too-long", "default", null));
        Assert.Equal(4, (await bad.Content.ReadFromJsonAsync<CniProblem>())!.Code);
    }
}
