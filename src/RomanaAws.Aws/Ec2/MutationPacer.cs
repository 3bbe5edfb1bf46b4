namespace RomanaAws.Aws.Ec2;

/// <summary>
/// Client-side pacing of mutating EC2 calls, so the controller stays inside EC2's token bucket (refill 5/s, bucket 50)
/// instead of discovering it through <c>RequestLimitExceeded</c>. A token bucket on the injected
/// <see cref="TimeProvider"/> (System.Threading.RateLimiting has no TimeProvider, so tests could not drive it).
/// </summary>
public sealed class MutationPacer
{
    private readonly TimeProvider _time;
    private readonly double _ratePerSecond;
    private readonly int _burst;
    private readonly Lock _sync = new();
    private double _tokens;
    private long _last;

    public MutationPacer(TimeProvider time, double ratePerSecond, int burst)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ratePerSecond);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(burst);
        _time = time;
        _ratePerSecond = ratePerSecond;
        _burst = burst;
        _tokens = burst;
        _last = time.GetTimestamp();
    }

    /// <summary>Waits until a call may be made, then takes its token.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_sync)
            {
                var now = _time.GetTimestamp();
                _tokens = Math.Min(_burst, _tokens + (_time.GetElapsedTime(_last, now).TotalSeconds * _ratePerSecond));
                _last = now;
                if (_tokens >= 1)
                {
                    _tokens -= 1;
                    return;
                }

                wait = TimeSpan.FromSeconds((1 - _tokens) / _ratePerSecond);
            }

            await Task.Delay(wait, _time, cancellationToken);
        }
    }
}
