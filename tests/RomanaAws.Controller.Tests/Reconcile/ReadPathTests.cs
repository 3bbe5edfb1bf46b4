namespace RomanaAws.Controller.Tests.Reconcile;

/// <summary>Agents' reads are served from the published state, and their claims wait only for a pass's IPAM steps: never behind a pass stuck in an EC2 call.</summary>
public sealed class ReadPathTests
{
    public const string Host1 = "i-0a000000000000001";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task AgentState_PassHeldInsideAnEc2Call_AnsweredMeanwhile()
    {
        await using var world = await FakeWorld.StartAsync();
        using var reconciler = world.Reconciler();
        await reconciler.ReconcileAsync(CancellationToken.None);
        var (entered, release) = HoldDescribeInstances(world);

        var pass = reconciler.ReconcileAsync(CancellationToken.None);
        await entered.Task.WaitAsync(Patience);
        var state = await reconciler.AgentStateAsync(Host1, CancellationToken.None).WaitAsync(Patience);

        Assert.Equal(Host1, state!.InstanceId);
        Assert.NotEmpty(state.Groups);
        Assert.Null(await reconciler.AgentStateAsync("i-0ffffffffffffffff", CancellationToken.None).WaitAsync(Patience)); // unknown: 404 as before
        Assert.False(pass.IsCompleted);
        release.SetResult();
        Assert.Empty((await pass).Errors);
    }

    [Fact]
    public async Task AgentState_BeforeTheFirstLoad_WaitsOnlyForTheLoadNotForThePass()
    {
        await using var world = await FakeWorld.StartAsync();
        using (var earlier = world.Reconciler())
        {
            await earlier.ReconcileAsync(CancellationToken.None); // the hosts are in the stored state
        }

        using var reconciler = world.Reconciler();
        var load = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        world.Store.HoldLoads = load;
        var (entered, release) = HoldDescribeInstances(world);

        var pass = reconciler.ReconcileAsync(CancellationToken.None);
        await world.Store.LoadHeld.Task.WaitAsync(Patience);
        var read = reconciler.AgentStateAsync(Host1, CancellationToken.None);
        Assert.False(read.IsCompleted); // nothing is loaded yet, and the pass holds the gate while it loads

        load.SetResult();
        await entered.Task.WaitAsync(Patience); // the pass loaded, published, and is now held inside DescribeInstances
        var state = await read.WaitAsync(Patience);

        Assert.Equal(Host1, state!.InstanceId);
        Assert.False(pass.IsCompleted);
        release.SetResult();
        await pass;
    }

    [Theory]
    [InlineData("DescribeInstances")] // discovery
    [InlineData("CreateRoute")] // apply
    public async Task Claim_PassHeldInsideAnEc2Call_AnsweredAndSavedMeanwhile(string action)
    {
        await using var world = await FakeWorld.StartAsync();
        using var reconciler = world.Reconciler();
        if (action == "DescribeInstances")
        {
            await reconciler.ReconcileAsync(CancellationToken.None); // the host is registered
        }

        var (entered, release) = Hold(world, action);
        var pass = reconciler.ReconcileAsync(CancellationToken.None);
        await entered.Task.WaitAsync(Patience);
        var saves = world.Store.Saves;
        var block = await reconciler.ClaimBlockAsync(Host1, "pod/claimed-mid-pass", null, CancellationToken.None).WaitAsync(Patience);

        Assert.NotNull(block);
        Assert.Equal(saves + 1, world.Store.Saves);
        Assert.Contains(reconciler.Ipam.Published!.AgentState(Host1)!.Blocks, b => b.Cidr == block.Cidr && b.Owner == "pod/claimed-mid-pass");
        Assert.False(pass.IsCompleted);
        release.SetResult();
        Assert.Empty((await pass).Errors);
        Assert.Contains(reconciler.Ipam.Ipam.BlockUsage(), u => u.Cidr == block.Cidr && u.Owner == "pod/claimed-mid-pass"); // the pass did not drop it
    }

    /// <summary>Holds every DescribeInstances until released; entered completes when the first one is held.</summary>
    private static (TaskCompletionSource Entered, TaskCompletionSource Release) HoldDescribeInstances(FakeWorld world) => Hold(world, "DescribeInstances");

    /// <summary>Holds every call of <paramref name="action"/> until released; entered completes when the first one is held.</summary>
    private static (TaskCompletionSource Entered, TaskCompletionSource Release) Hold(FakeWorld world, string action)
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        world.Ec2.BeforeCallAsync = async call =>
        {
            if (call.Action == action)
            {
                entered.TrySetResult();
                await release.Task;
            }
        };
        return (entered, release);
    }
}
