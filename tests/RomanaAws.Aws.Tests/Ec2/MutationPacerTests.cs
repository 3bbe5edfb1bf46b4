using Microsoft.Extensions.Time.Testing;
using RomanaAws.Aws.Ec2;

namespace RomanaAws.Aws.Tests.Ec2;

public sealed class MutationPacerTests
{
    [Fact]
    public async Task WaitAsync_BurstThenRate()
    {
        var time = new FakeTimeProvider();
        var pacer = new MutationPacer(time, ratePerSecond: 5, burst: 3);
        for (var i = 0; i < 3; i++)
        {
            await pacer.WaitAsync(CancellationToken.None);
        }

        var fourth = pacer.WaitAsync(CancellationToken.None);
        Assert.False(fourth.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(199));
        Assert.False(fourth.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await fourth.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task WaitAsync_Cancelled_Throws()
    {
        var pacer = new MutationPacer(new FakeTimeProvider(), 1, 1);
        await pacer.WaitAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var waiting = pacer.WaitAsync(cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }
}
