namespace RomanaAws.Agent.Tests.Integration;

/// <summary>Runs an action every 100 ms on a background task until disposed (a failing run is retried on the next tick).</summary>
internal sealed class CancellableLoop : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public CancellableLoop(Action action)
    {
        _loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
            while (await timer.WaitForNextTickAsync(_stop.Token).AsTask().ContinueWith(t => !t.IsCanceled && t.Result, TaskScheduler.Default))
            {
                try
                {
                    action();
                }
                catch (InvalidOperationException)
                {
                    // A namespace torn down under the loop, or a router still starting: the next tick tries again.
                }
            }
        });
    }

    public void Dispose()
    {
        _stop.Cancel();
        _loop.Wait(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }
}
