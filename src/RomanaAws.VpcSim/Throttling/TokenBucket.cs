namespace RomanaAws.VpcSim.Throttling;

/// <summary>EC2's throttling model: a bucket of <c>capacity</c> tokens refilled at <c>refillPerSecond</c>; a call takes one.</summary>
internal sealed class TokenBucket
{
    private readonly TimeProvider _time;
    private readonly Lock _sync = new();
    private double _tokens;
    private long _last;

    public TokenBucket(TimeProvider time, int capacity, double refillPerSecond)
    {
        _time = time;
        Capacity = capacity;
        RefillPerSecond = refillPerSecond;
        _tokens = capacity;
        _last = time.GetTimestamp();
    }

    public int Capacity { get; }

    public double RefillPerSecond { get; }

    public bool TryTake()
    {
        lock (_sync)
        {
            var now = _time.GetTimestamp();
            _tokens = Math.Min(Capacity, _tokens + (_time.GetElapsedTime(_last, now).TotalSeconds * RefillPerSecond));
            _last = now;
            if (_tokens < 1)
            {
                return false;
            }

            _tokens -= 1;
            return true;
        }
    }
}
