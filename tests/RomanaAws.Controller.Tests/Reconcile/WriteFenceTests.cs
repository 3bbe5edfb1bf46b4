using RomanaAws.Controller.Reconcile;
using RomanaAws.Core.Leadership;

namespace RomanaAws.Controller.Tests.Reconcile;

/// <summary>
/// The write fence in a pass, on the in-memory EC2: the fence closes (or the term changes) from the before-call hook of
/// the first write, and no mutating call follows; the refusal propagates as <see cref="NotLeaderException"/>, not as a
/// write error of the pass.
/// </summary>
public sealed class WriteFenceTests
{
    private const string TableA = "rtb-0a0a0a0a0a0a0a0a1";
    private static readonly string[] Tables = [TableA, "rtb-0b0b0b0b0b0b0b0b1", "rtb-0c0c0c0c0c0c0c0c1"];

    [Fact]
    public async Task Pass_LeaseLostAtTheFirstWrite_NoFurtherMutatingCall()
    {
        await using var world = await FakeWorld.StartAsync();
        world.Fixture.Settings.RouteTables = [TableA];
        var replica = new TestReplica();
        using var reconciler = world.Reconciler(new ReconcilerDependencies { Fence = new LeaseWriteFence(replica) });
        world.Ec2.BeforeCall = call =>
        {
            if (call.IsMutating)
            {
                replica.LoseLease(); // this call was checked already; the lease runs out while it is under way
            }
        };

        var refused = await Assert.ThrowsAsync<NotLeaderException>(() => reconciler.ReconcileAsync(CancellationToken.None));

        Assert.Contains("not the leader, or its lease may have run out", refused.Message, StringComparison.Ordinal);
        var write = Assert.Single(world.Ec2.Calls, c => c.IsMutating);
        Assert.Equal(("CreateRoute", TableA), (write.Action, write.RouteTableId));
        Assert.Equal(1, world.Ec2.Writes);
    }

    [Fact]
    public async Task Pass_LeaseRegainedInANewTermMidPass_TheOldPassWritesNoMore()
    {
        await using var world = await FakeWorld.StartAsync();
        world.Fixture.Settings.RouteTables = [TableA];
        var replica = new TestReplica();
        using var reconciler = world.Reconciler(new ReconcilerDependencies { Fence = new LeaseWriteFence(replica) });
        world.Ec2.BeforeCall = call =>
        {
            if (call.IsMutating)
            {
                replica.Current = new LeaderToken("/romana-aws/test/leader", 42, "test"); // lost and won again: a new term
            }
        };

        var refused = await Assert.ThrowsAsync<NotLeaderException>(() => reconciler.ReconcileAsync(CancellationToken.None));

        Assert.Contains("has ended", refused.Message, StringComparison.Ordinal);
        Assert.Single(world.Ec2.Calls, c => c.IsMutating);

        // The next pass pins the new term and converges.
        world.Ec2.BeforeCall = null;
        var next = await reconciler.ReconcileAsync(CancellationToken.None);
        Assert.Empty(next.Errors);
        Assert.True(next.Applied > 1, $"applied {next.Applied}");
    }

    [Fact]
    public async Task Pass_FenceClosesWhileTablesApplyInParallel_EveryTableStopsAtItsNextCheck()
    {
        await using var world = await FakeWorld.StartAsync();
        var fence = new CountingFence();
        using var reconciler = world.Reconciler(new ReconcilerDependencies { Fence = fence });
        world.Ec2.BeforeCall = call =>
        {
            if (call.IsMutating)
            {
                fence.Close();
            }
        };

        await Assert.ThrowsAsync<NotLeaderException>(() => reconciler.ReconcileAsync(CancellationToken.None));

        // Every mutating call (and save) was allowed by a check just before it; none was made after its table was refused.
        Assert.Equal(world.MutatingCalls + world.Store.Saves, fence.Allowed);
        Assert.InRange(world.MutatingCalls, 1, Tables.Length); // at most the one each table had under way at the close
        Assert.Equal(Tables.Length, fence.Refused); // each table asked again and stopped; the source/destination checks never ran
        Assert.DoesNotContain(world.Ec2.Calls, c => c.Action == "ModifyNetworkInterfaceAttribute");
    }

    [Fact]
    public async Task ClaimBlock_FenceClosed_RefusedAndNotHeld()
    {
        await using var world = await FakeWorld.StartAsync();
        var replica = new TestReplica();
        using var reconciler = world.Reconciler(new ReconcilerDependencies { Fence = new LeaseWriteFence(replica) });
        await reconciler.ReconcileAsync(CancellationToken.None);
        var saves = world.Store.Saves;

        var lease = replica.Current;
        replica.LoseLease();
        await Assert.ThrowsAsync<NotLeaderException>(() => reconciler.ClaimBlockAsync(ReadPathTests.Host1, "default", null, CancellationToken.None));
        Assert.Equal(saves, world.Store.Saves);

        // Told it failed, the agent must not find the block held for it once this replica leads again.
        replica.Current = lease;
        Assert.Empty((await reconciler.AgentStateAsync(ReadPathTests.Host1, CancellationToken.None))!.Blocks);
        var claimed = await reconciler.ClaimBlockAsync(ReadPathTests.Host1, "default", null, CancellationToken.None);
        Assert.Equal([claimed!.Cidr], (await reconciler.AgentStateAsync(ReadPathTests.Host1, CancellationToken.None))!.Blocks.Select(b => b.Cidr));
    }
}
