using System.Diagnostics;
using RomanaAws.Core.Leadership;
using RomanaAws.Tests.Shared;
using Xunit.Abstractions;

namespace RomanaAws.Etcd.Tests;

/// <summary>
/// Leader election on a real 3-member etcd: one leader, a standby that takes over when the leader leaves (at once) or
/// is cut off from etcd (after the lease), and the old leader's fence closing before the new leader's term begins.
/// </summary>
public sealed class LeaderElectionTests(ITestOutputHelper output) : EtcdTest(output)
{
    private EtcdConnection Connect(params int[] members) => new(new EtcdOptions
    {
        Endpoints = members.Length == 0 ? Cluster!.Endpoints : members.Select(Cluster!.Endpoint).ToList(),
        Prefix = "/romana-aws/test/",
        LeaseSeconds = 2,
        CallTimeout = TimeSpan.FromSeconds(1),
    });

    private LeaderElection Elect(EtcdConnection etcd, string name)
    {
        var election = new LeaderElection(etcd, name, $"{{\"id\":\"{name}\"}}", TimeProvider.System, new TestLogger(Output, name));
        election.Start();
        return election;
    }

    private static async Task<TimeSpan> UntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < timeout, $"{what}: not within {timeout.TotalSeconds:0.#} s");
            await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System);
        }

        return clock.Elapsed;
    }

    [Fact]
    public async Task OneLeader_StandbyKnowsIt_LeaderLeaves_StandbyTakesOverAtOnce()
    {
        if (Cluster is null)
        {
            return;
        }

        using var etcdA = Connect();
        using var etcdB = Connect();
        var a = Elect(etcdA, "a");
        await UntilAsync(() => a.Role == LeaderRole.Leader, TimeSpan.FromSeconds(10), "a leads");
        await using var b = Elect(etcdB, "b");
        await UntilAsync(() => b.Role == LeaderRole.Follower, TimeSpan.FromSeconds(10), "b follows");
        Assert.Equal("{\"id\":\"a\"}", b.Leader);
        Assert.NotNull(a.Current);
        Assert.Null(b.Current);
        Assert.False(a.Term.IsCancellationRequested);

        // Leases are renewed: a stays leader well past the TTL.
        await Task.Delay(TimeSpan.FromSeconds(3), TimeProvider.System);
        Assert.Equal(LeaderRole.Leader, a.Role);
        Assert.NotNull(a.Current);

        var term = a.Term;
        await a.DisposeAsync(); // a clean shutdown revokes the lease
        Assert.True(term.IsCancellationRequested);
        var takeover = await UntilAsync(() => b.Current is not null, TimeSpan.FromSeconds(2), "b takes over");
        Output.WriteLine($"takeover after a clean shutdown: {takeover.TotalMilliseconds:0} ms");
        Assert.True(b.Current!.CreateRevision > 0);
    }

    [Fact]
    public async Task LeaderCutOffFromEtcd_ItsFenceClosesBeforeTheStandbysTermBegins()
    {
        if (Cluster is null)
        {
            return;
        }

        using var etcdA = Connect(0); // a reaches etcd only through member 0
        using var etcdB = Connect(1, 2);
        await using var a = Elect(etcdA, "a");
        await UntilAsync(() => a.Current is not null, TimeSpan.FromSeconds(10), "a leads");
        await using var b = Elect(etcdB, "b");
        await UntilAsync(() => b.Role == LeaderRole.Follower, TimeSpan.FromSeconds(10), "b follows");

        long? fenceClosed = null;
        long? standbyLeads = null;
        var watch = Task.Run(async () =>
        {
            while (standbyLeads is null)
            {
                fenceClosed ??= a.Current is null ? Stopwatch.GetTimestamp() : null;
                standbyLeads ??= b.Current is not null ? Stopwatch.GetTimestamp() : null;
                await Task.Delay(TimeSpan.FromMilliseconds(2), TimeProvider.System);
            }
        });
        var cut = Stopwatch.GetTimestamp();
        Cluster.Kill(0);
        try
        {
            await watch.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            var (records, rev) = await etcdB.RangeAsync("/romana-aws/test/", 0, CancellationToken.None);
            Output.WriteLine($"state at {rev}: {string.Join(", ", records.Select(r => r.Key + "=" + r.Value.Value))}; b role {b.Role} leader {b.Leader}");
            throw;
        }
        Assert.NotNull(fenceClosed);
        Assert.True(fenceClosed < standbyLeads, "the old leader still believed it led when the new term began");
        Output.WriteLine($"fence closed {Stopwatch.GetElapsedTime(cut, fenceClosed!.Value).TotalMilliseconds:0} ms after the cut; standby led after {Stopwatch.GetElapsedTime(cut, standbyLeads!.Value).TotalMilliseconds:0} ms");
        Assert.True(a.Term.IsCancellationRequested);
    }
}
