using RomanaAws.Core.Agents;
using RomanaAws.Agent.Routing;
using RomanaAws.Core.Net;

namespace RomanaAws.Agent.Tests.Routing;

public sealed class RouteDiffTests
{
    private static Cidr C(string text) => Cidr.Parse(text);

    private static readonly AgentDesiredState State = new()
    {
        InstanceId = "i-1",
        Groups = [C("100.96.0.0/15")],
        Blocks = [new OwnedBlock(C("100.96.0.0/28"), "default")],
        Peers =
        [
            new PeerBlocks("i-2", "172.20.32.12", [new OwnedBlock(C("100.96.0.16/28"), "default"), new OwnedBlock(C("100.96.0.32/28"), "kube-system")]),
            new PeerBlocks("i-3", "172.20.32.13", [new OwnedBlock(C("100.96.0.48/28"), "web/frontend")]),
        ],
        Owners = new Dictionary<string, IReadOnlyList<Cidr>>(),
    };

    [Fact]
    public void Desired_PeerBlocksViaPeers_OwnGroupAndBlocksUnreachable()
    {
        var routes = RouteDiff.Desired(State).Select(r => r.ToString());
        Assert.Equal(["unreachable 100.96.0.0/15", "unreachable 100.96.0.0/28", "100.96.0.16/28 via 172.20.32.12", "100.96.0.32/28 via 172.20.32.12", "100.96.0.48/28 via 172.20.32.13"], routes);
    }

    [Fact]
    public void Diff_AddsReplacesDeletesOnlyWhatDiffers()
    {
        var desired = RouteDiff.Desired(State);
        var current = new List<KernelRoute>
        {
            new(C("100.96.0.0/15"), null),                 // kept
            new(C("100.96.0.16/28"), "172.20.32.99"),      // wrong peer → replace
            new(C("100.96.0.32/28"), "172.20.32.12"),      // kept
            new(C("100.96.1.0/28"), "172.20.32.12"),       // stale → delete
        };
        var changes = RouteDiff.Diff(desired, current);
        Assert.Equal(["unreachable 100.96.0.0/28", "100.96.0.48/28 via 172.20.32.13"], changes.Add.Select(r => r.ToString()));
        Assert.Equal(["100.96.0.16/28 via 172.20.32.12"], changes.Replace.Select(r => r.ToString()));
        Assert.Equal(["100.96.1.0/28 via 172.20.32.12"], changes.Delete.Select(r => r.ToString()));
        Assert.Equal(
            "route add unreachable 100.96.0.0/28 proto 148\nroute add 100.96.0.48/28 via 172.20.32.13 proto 148\n" +
            "route replace 100.96.0.16/28 via 172.20.32.12 proto 148\nroute del 100.96.1.0/28 proto 148\n",
            changes.ToIpBatch(RouteDiff.Protocol));
        Assert.True(RouteDiff.Diff(desired, desired).IsEmpty);
    }
}
