using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using RomanaAws.Agent.Bird;
using RomanaAws.Agent.Service;

namespace RomanaAws.Cli.Tests.Commands;

/// <summary>
/// <c>routes</c> and <c>preflight</c> in routing mode bgp, against agents on loopback addresses (127.0.0.11–13, the
/// configured hosts) that answer /healthz with the agent's own status type serialised as the agent does, and a router
/// on 127.0.0.2 that accepts TCP 179 beside one (127.0.0.3) that refuses it. No EC2 anywhere.
/// </summary>
public sealed class AdvertisedCommandsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("romana-advertised-").FullName;
    private readonly int _port = FreePort();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Config() => WriteConfig($$"""
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
              cidr: 127.0.0.0/24
              peers: [{ address: 127.0.0.2, asn: 65001 }, { address: 127.0.0.3, asn: 65001 }]
          hosts:
            - { name: node-1, ip: 127.0.0.11 }
            - { name: node-2, ip: 127.0.0.12 }
            - { name: node-3, ip: 127.0.0.13 }
        controller:
          stateFile: {{Path.Combine(_directory, "state.json")}}
        health:
          agentPort: {{_port}}
        """);

    private string WriteConfig(string text)
    {
        var path = Path.Combine(_directory, "topology.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task Routes_BgpMode_EachGroupOnePrefix_HostsAndWhatTheirBirdExports()
    {
        // Groups (no state file: placed as the controller places them): node-1 and node-3 in the first, node-2 in the second.
        await using var one = Agent("127.0.0.11", ["100.96.0.0/20"], up: true);
        await using var two = Agent("127.0.0.12", ["100.96.16.0/20"], up: true);
        await using var three = Agent("127.0.0.13", [], up: false);
        var run = await CliRun.Of("routes", "--config", Config());
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Groups advertised by BGP (one prefix each)", run.Output, StringComparison.Ordinal);
        Assert.Matches(@"100\.96\.0\.0/20 +dc1 +rack-1 +0 +node-1 +127\.0\.0\.11 +100\.96\.0\.0/20 +exported \(1 of 2 router link\(s\) up\)", run.Output);
        Assert.Matches(@"100\.96\.0\.0/20 +dc1 +rack-1 +0 +node-3 +127\.0\.0\.13 +- +no router link up \(127\.0\.0\.2 start Active", run.Output);
        Assert.Matches(@"100\.96\.16\.0/20 +dc1 +rack-1 +1 +node-2 .* exported", run.Output);
        Assert.Contains("NOT IN SYNC", run.Output, StringComparison.Ordinal);

        var json = await CliRun.Of("routes", "--config", Config(), "--output", "json");
        using var document = JsonDocument.Parse(json.Output);
        Assert.False(document.RootElement.GetProperty("inSync").GetBoolean());
        Assert.Equal(["100.96.0.0/20", "100.96.16.0/20"], document.RootElement.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("destination").GetString()));
    }

    [Fact]
    public async Task Preflight_BgpMode_ChecksRoutersOnTcp179AndEveryHostsSessions()
    {
        if (Environment.UserName != "root")
        {
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true", "CI=true but not root: port 179 cannot be bound");
            return;
        }

        using var router = new TcpListener(IPAddress.Parse("127.0.0.2"), 179);
        router.Start();
        await using var one = Agent("127.0.0.11", ["100.96.0.0/20"], up: true);
        await using var two = Agent("127.0.0.12", ["100.96.16.0/20"], up: true);
        var run = await CliRun.Of("preflight", "--config", Config());
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ok    router 127.0.0.2 (rack rack-1) reachable: accepts connections on TCP 179", run.Output, StringComparison.Ordinal);
        Assert.Contains("FAIL  router 127.0.0.3 (rack rack-1) reachable: TCP 179:", run.Output, StringComparison.Ordinal);
        Assert.Contains("FAIL  host node-1 (127.0.0.11, rack rack-1): no Established session with 127.0.0.3", run.Output, StringComparison.Ordinal);
        Assert.Contains("fix: on the router, accept 127.0.0.11 as a neighbor with remote AS 64512", run.Output, StringComparison.Ordinal);
        Assert.Contains("FAIL  host node-3 (127.0.0.13, rack rack-1): its agent did not answer:", run.Output, StringComparison.Ordinal);
    }

    /// <summary>An agent's /healthz on <paramref name="ip"/>: its real status type, sessions with both routers (the first up or not), the given exports.</summary>
    private FakeAgent Agent(string ip, string[] exported, bool up)
    {
        var routing = new RoutingStatus(
            [new RouterSession("router_127_0_0_2", "127.0.0.2", up ? "up" : "start", up ? "Established" : "Active"), new RouterSession("router_127_0_0_3", "127.0.0.3", "start", "Active")],
            new Dictionary<string, IReadOnlyList<string>> { ["router_127_0_0_2"] = exported, ["router_127_0_0_3"] = [] },
            1);
        var status = new AgentStatus(true, true, true, DateTimeOffset.UnixEpoch, null, 3, 0, 0) { Routing = routing };
        return new FakeAgent(IPAddress.Parse(ip), _port, JsonSerializer.SerializeToUtf8Bytes(status, AgentSync.Json));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Answers every HTTP request on one loopback address with the same JSON (a 503, as an agent with a session down does).</summary>
    private sealed class FakeAgent : IAsyncDisposable
    {
        private readonly TcpListener _listener;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _serving;

        public FakeAgent(IPAddress address, int port, byte[] body)
        {
            _listener = new TcpListener(address, port);
            _listener.Start();
            _serving = ServeAsync(body);
        }

        private async Task ServeAsync(byte[] body)
        {
            var head = Encoding.ASCII.GetBytes($"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    var stream = client.GetStream();
                    var buffer = new byte[4096];
                    _ = await stream.ReadAsync(buffer, _stop.Token);
                    await stream.WriteAsync(head, _stop.Token);
                    await stream.WriteAsync(body, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (IOException)
                {
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _serving;
            _stop.Dispose();
        }
    }
}
