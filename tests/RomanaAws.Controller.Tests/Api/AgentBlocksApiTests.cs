using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using RomanaAws.Agent.Service;
using RomanaAws.Controller.Configuration;
using RomanaAws.Core.Net;
using RomanaAws.Core.Persistence;

namespace RomanaAws.Controller.Tests.Api;

/// <summary>The agents' block API over real HTTP on loopback: a controller host on the simulator, its state file on disk.</summary>
public sealed class AgentBlocksApiTests
{
    private const string Host1 = "i-0a000000000000001";

    private const string Table = "rtb-0a0a0a0a0a0a0a0a1";

    internal sealed class Rig(ControllerFixture fixture, WebApplication app, HttpClient http, Uri url) : IAsyncDisposable
    {
        public ControllerFixture Fixture => fixture;

        public HttpClient Http => http;

        public Uri Url => url;

        public async Task<IpamStateDocument> StateAsync() => (await new FileIpamStateStore(fixture.StatePath).LoadAsync(CancellationToken.None))!;

        public async ValueTask DisposeAsync()
        {
            http.Dispose();
            await app.StopAsync();
            await app.DisposeAsync();
            await fixture.DisposeAsync();
        }
    }

    /// <summary>A controller host with the shipped config (or <paramref name="edit"/> of it), once host 1 is registered.</summary>
    internal static async Task<Rig> StartAsync(Func<string, string>? edit = null)
    {
        var f = await ControllerFixture.StartAsync();
        var path = Path.Combine(ControllerFixture.Scenarios, "controller.yaml");
        if (edit is not null)
        {
            path = Path.Combine(Path.GetDirectoryName(f.StatePath)!, "controller.yaml");
            await File.WriteAllTextAsync(path, edit(await File.ReadAllTextAsync(Path.Combine(ControllerFixture.Scenarios, "controller.yaml"))));
        }

        var (app, port) = await HostStarter.StartAsync(path, [$"--controller:stateFile={f.StatePath}"], new ControllerHostOptions { Ec2 = f.Api });
        var url = new Uri($"http://127.0.0.1:{port}/");
        var http = new HttpClient { BaseAddress = url };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await http.GetAsync($"v1/agents/{Host1}")).StatusCode != HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < deadline, "host 1 not registered within 30 s");
            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System);
        }

        return new Rig(f, app, http, url);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient http, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    [Fact]
    public async Task Blocks_ClaimUsageRelease_SavedBeforeAnswering_RoutesUnchanged()
    {
        await using var rig = await StartAsync();
        var http = rig.Http;
        var routesBefore = await rig.Fixture.PodRoutesAsync(Table);
        Assert.NotEmpty(routesBefore);

        var (status, claim) = await SendAsync(http, HttpMethod.Post, $"v1/agents/{Host1}/blocks", new { owner = "default", network = (string?)null });
        Assert.Equal(HttpStatusCode.Created, status);
        var cidr = claim.GetProperty("cidr").GetString()!;
        Assert.Equal(("default", Host1), (claim.GetProperty("owner").GetString(), claim.GetProperty("instanceId").GetString()));
        Assert.True(Cidr.Parse("100.96.0.0/15").Contains(Cidr.Parse(cidr)), $"{cidr} is inside host 1's group");

        // Saved before the answer: the file on disk holds the block, with no pods.
        var saved = Assert.Single((await rig.StateAsync()).Blocks, b => b.Cidr.ToString() == cidr);
        Assert.Equal((Host1, "default", 0), (saved.Host, saved.Owner, saved.Pods.Count));

        // The agent's desired state lists it.
        using (var agent = JsonDocument.Parse(await http.GetStringAsync($"v1/agents/{Host1}")))
        {
            Assert.Contains(agent.RootElement.GetProperty("blocks").EnumerateArray(), b => b.GetProperty("cidr").GetString() == cidr && b.GetProperty("owner").GetString() == "default");
        }

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(http, HttpMethod.Put, $"v1/agents/{Host1}/usage", new { blocks = new Dictionary<string, int> { [cidr] = 3 } })).Status);
        Assert.Equal(3, Assert.Single((await rig.StateAsync()).Blocks, b => b.Cidr.ToString() == cidr).Used);
        var metrics = await http.GetStringAsync("metrics");
        Assert.Contains($"romana_ipam_block_addresses_used{{cluster=\"demo.k8s.local\",instance_id=\"{Host1}\"}} 3", metrics, StringComparison.Ordinal);
        Assert.Contains($"romana_ipam_block_addresses_capacity{{cluster=\"demo.k8s.local\",instance_id=\"{Host1}\"}} 16", metrics, StringComparison.Ordinal);
        using (var ipam = JsonDocument.Parse(await http.GetStringAsync("v1/ipam")))
        {
            var block = Assert.Single(ipam.RootElement.GetProperty("blocks").EnumerateArray(), b => b.GetProperty("cidr").GetString() == cidr);
            Assert.Equal((3, 16, true), (block.GetProperty("used").GetInt32(), block.GetProperty("capacity").GetInt32(), block.GetProperty("claimed").GetBoolean()));
        }

        var encoded = $"v1/agents/{Host1}/blocks/{Uri.EscapeDataString(cidr)}";
        var (inUse, inUseBody) = await SendAsync(http, HttpMethod.Delete, encoded);
        Assert.Equal(HttpStatusCode.Conflict, inUse);
        Assert.Contains("still holds 3 address(es) in use by the last usage report", inUseBody.GetProperty("error").GetString(), StringComparison.Ordinal);

        await SendAsync(http, HttpMethod.Put, $"v1/agents/{Host1}/usage", new { blocks = new Dictionary<string, int> { [cidr] = 0 } });
        var (released, releasedBody) = await SendAsync(http, HttpMethod.Delete, encoded);
        Assert.Equal(HttpStatusCode.OK, released);
        Assert.True(releasedBody.GetProperty("released").GetBoolean());
        Assert.False((await SendAsync(http, HttpMethod.Delete, encoded)).Body.GetProperty("released").GetBoolean());
        Assert.DoesNotContain((await rig.StateAsync()).Blocks, b => b.Cidr.ToString() == cidr);

        // A pass after all this: the VPC routes are what they were (blocks lie inside the group's route).
        await http.PostAsync("v1/reconcile", null);
        await rig.Fixture.PassAsync();
        Assert.Equal(routesBefore, await rig.Fixture.PodRoutesAsync(Table));
    }

    [Fact]
    public async Task Blocks_BadRequests_RefusedNamingFieldAndValue()
    {
        await using var rig = await StartAsync();
        var http = rig.Http;
        var (badOwner, badOwnerBody) = await SendAsync(http, HttpMethod.Post, $"v1/agents/{Host1}/blocks", new { owner = "Not_A_Namespace" });
        Assert.Equal(HttpStatusCode.BadRequest, badOwner);
        Assert.Contains("owner 'Not_A_Namespace' must be a Kubernetes namespace", badOwnerBody.GetProperty("error").GetString(), StringComparison.Ordinal);

        var (noOwner, noOwnerBody) = await SendAsync(http, HttpMethod.Post, $"v1/agents/{Host1}/blocks", new { network = "pods" });
        Assert.Equal(HttpStatusCode.BadRequest, noOwner);
        Assert.Contains("owner is missing", noOwnerBody.GetProperty("error").GetString(), StringComparison.Ordinal);

        var (unknown, unknownBody) = await SendAsync(http, HttpMethod.Post, "v1/agents/i-00000000000000099/blocks", new { owner = "default" });
        Assert.Equal(HttpStatusCode.NotFound, unknown);
        Assert.Contains("host i-00000000000000099 is not registered", unknownBody.GetProperty("error").GetString(), StringComparison.Ordinal);

        var (badCidr, badCidrBody) = await SendAsync(http, HttpMethod.Delete, $"v1/agents/{Host1}/blocks/{Uri.EscapeDataString("10.1.2.0/99")}");
        Assert.Equal(HttpStatusCode.BadRequest, badCidr);
        Assert.Contains("cidr in the path '10.1.2.0/99'", badCidrBody.GetProperty("error").GetString(), StringComparison.Ordinal);

        var (badUsage, badUsageBody) = await SendAsync(http, HttpMethod.Put, $"v1/agents/{Host1}/usage", new { blocks = new Dictionary<string, int> { ["100.96.0.0/28"] = 2 } });
        Assert.Equal(HttpStatusCode.BadRequest, badUsage);
        Assert.Contains("block 100.96.0.0/28 is not a block of host", badUsageBody.GetProperty("error").GetString(), StringComparison.Ordinal);

        using var garbage = await http.PostAsync($"v1/agents/{Host1}/blocks", new StringContent("{\"owner\":", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
        Assert.Contains("request body is not valid JSON", await garbage.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty((await rig.StateAsync()).Blocks);
    }

    [Fact]
    public async Task Blocks_TwentyConcurrentClaims_AllDistinctAndSaved()
    {
        await using var rig = await StartAsync();
        var claims = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => SendAsync(rig.Http, HttpMethod.Post, $"v1/agents/{Host1}/blocks", new { owner = "default" })));
        Assert.All(claims, c => Assert.Equal(HttpStatusCode.Created, c.Status));
        var cidrs = claims.Select(c => c.Body.GetProperty("cidr").GetString()).ToList();
        Assert.Equal(20, cidrs.Distinct().Count());
        Assert.Equal(cidrs.Order(StringComparer.Ordinal), (await rig.StateAsync()).Blocks.Where(b => b.Host == Host1).Select(b => b.Cidr.ToString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Blocks_GroupFull_507NamingTheGroup()
    {
        // Blocks of /16 in /15 groups: two per group; route budget = planned routes, so no overflow range either.
        await using var rig = await StartAsync(yaml => yaml.Replace("blockMask: 28", "blockMask: 16", StringComparison.Ordinal).Replace("routeLimit: 50", "routeLimit: 17", StringComparison.Ordinal));
        var results = new List<(HttpStatusCode Status, JsonElement Body)>();
        for (var i = 0; i < 3; i++)
        {
            results.Add(await SendAsync(rig.Http, HttpMethod.Post, $"v1/agents/{Host1}/blocks", new { owner = "default" }));
        }

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, (HttpStatusCode)507], results.Select(r => r.Status));
        Assert.Contains("address space exhausted", results[2].Body.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ControllerBlocksClient_AgainstTheController_ClaimReportRelease()
    {
        await using var rig = await StartAsync();
        using var http = new HttpClient();
        var client = new ControllerBlocksClient(http, rig.Url, Host1);
        var claim = await client.ClaimAsync("kube-system", CancellationToken.None);
        Assert.Equal(("kube-system", Host1, "pods"), (claim.Owner, claim.InstanceId, claim.Network));
        await client.ReportUsageAsync(new Dictionary<Cidr, int> { [claim.Cidr] = 5 }, CancellationToken.None);
        var refused = await Assert.ThrowsAsync<ControllerApiException>(() => client.ReleaseAsync(claim.Cidr, CancellationToken.None));
        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.Contains("still holds 5 address(es)", refused.Message, StringComparison.Ordinal);
        await client.ReportUsageAsync(new Dictionary<Cidr, int> { [claim.Cidr] = 0 }, CancellationToken.None);
        Assert.True(await client.ReleaseAsync(claim.Cidr, CancellationToken.None));
        Assert.False(await client.ReleaseAsync(claim.Cidr, CancellationToken.None));

        var bad = await Assert.ThrowsAsync<ControllerApiException>(() => client.ClaimAsync("Bad", CancellationToken.None));
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Contains("owner 'Bad'", bad.Message, StringComparison.Ordinal);
        var unknown = new ControllerBlocksClient(http, rig.Url, "i-00000000000000099");
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<ControllerApiException>(() => unknown.ClaimAsync("default", CancellationToken.None))).Status);
    }
}
