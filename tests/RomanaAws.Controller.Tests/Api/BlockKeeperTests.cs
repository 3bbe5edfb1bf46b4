using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Time.Testing;
using RomanaAws.Agent.Cni;
using RomanaAws.Agent.Ipam;
using RomanaAws.Agent.Service;
using RomanaAws.CniProtocol;
using RomanaAws.Core.Persistence;
using RomanaAws.Tests.Shared;

namespace RomanaAws.Controller.Tests.Api;

/// <summary>
/// The agent's block upkeep end to end: the CNI socket (real unix socket) over the node IPAM, claiming from the real
/// controller host (loopback HTTP, the simulator behind it, its state file on disk): a block on the first ADD of a new
/// owner, one more ahead of need below the watermark, give-back once empty past the grace, code 11 when the controller
/// is gone and no address is free.
/// </summary>
public sealed class BlockKeeperTests : IDisposable
{
    private const string Host1 = "i-0a000000000000001";
    private readonly string _directory = Directory.CreateTempSubdirectory("romana-keeper-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Socket => Path.Combine(_directory, "run", "cni.sock");

    private static async Task<(HttpStatusCode Status, CniAddress? Address, CniProblem? Problem)> AddAsync(HttpClient cni, string container, string owner)
    {
        using var response = await cni.PostAsJsonAsync("v1/cni/add", new CniAddRequest(container, "eth0", owner, null));
        return response.IsSuccessStatusCode
            ? (response.StatusCode, await response.Content.ReadFromJsonAsync<CniAddress>(), null)
            : (response.StatusCode, null, await response.Content.ReadFromJsonAsync<CniProblem>());
    }

    [Fact]
    public async Task Keeper_AgainstTheController_ClaimsOnDemandAheadOfNeedGivesBackAndSays11WhenGone()
    {
        var rig = await AgentBlocksApiTests.StartAsync();
        using var http = new HttpClient();
        var url = rig.Url;

        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var addresses = new PodAddressService(new CheckpointFile(Path.Combine(_directory, "ipam.json")), [], _ => true);
        using var keeper = new BlockKeeper(addresses, new ControllerBlocksClient(http, url, Host1), new BlockDemand(), time);
        await using var socket = await CniSocketHost.StartAsync(Socket, addresses, () => new CniStatus(0, "ready"), CancellationToken.None, keeper.ClaimNowAsync);
        using var cni = UnixSocketHttp.Client(Socket);

        // A new owner on this node: the first ADD waits on one claim, then gets an address from the new block.
        var first = await AddAsync(cni, "c0", "default");
        Assert.Equal(HttpStatusCode.OK, first.Status);
        var owner = Assert.Single(addresses.Pools());
        var blockSize = owner.BlockSize;
        var stored = await new FileIpamStateStore(rig.Fixture.StatePath).LoadAsync(CancellationToken.None);
        Assert.Contains(stored!.Blocks, b => b.Host == Host1 && b.Owner == "default" && b.Cidr.ToString() == first.Address!.Block);

        // Fill the block until fewer than a quarter of it is free: the upkeep claims the next block ahead of need.
        var threshold = new BlockDemand().Threshold(blockSize);
        for (var i = 1; i <= blockSize - threshold; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await AddAsync(cni, $"c{i}", "default")).Status);
        }

        Assert.Contains("claimed a block for owner 'default' ahead of need", await keeper.KeepAsync(CancellationToken.None));
        Assert.Equal(2, addresses.Pools().Single().Blocks);
        stored = await new FileIpamStateStore(rig.Fixture.StatePath).LoadAsync(CancellationToken.None);
        Assert.Equal(blockSize - threshold + 1, stored!.Blocks.Single(b => b.Cidr.ToString() == first.Address!.Block).Used);

        // Every pod gone; past the grace period both blocks go back to the controller.
        for (var i = 0; i <= blockSize - threshold; i++)
        {
            Assert.True(addresses.Delete(new AttachmentKey($"c{i}", "eth0")));
        }

        Assert.Empty(await keeper.KeepAsync(CancellationToken.None));
        time.Advance(BlockDemand.DefaultGrace + TimeSpan.FromSeconds(1));
        var gaveBack = await keeper.KeepAsync(CancellationToken.None);
        Assert.True(gaveBack.Count(l => l.StartsWith("gave back empty block", StringComparison.Ordinal)) == 2, string.Join("; ", gaveBack) + " / " + string.Join(",", addresses.Pools()));
        Assert.Empty(addresses.Pools());
        stored = await new FileIpamStateStore(rig.Fixture.StatePath).LoadAsync(CancellationToken.None);
        Assert.DoesNotContain(stored!.Blocks, b => b.Host == Host1 && b.Owner == "default");

        // The controller gone, nothing free: code 11 naming both facts.
        await rig.DisposeAsync();
        var refused = await AddAsync(cni, "late", "team-b");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.Status);
        Assert.Equal(11, refused.Problem!.Code);
        Assert.Contains("no block for owner 'team-b'", refused.Problem.Message, StringComparison.Ordinal);
        Assert.Contains("the controller gave no block", refused.Problem.Message, StringComparison.Ordinal);
    }
}
