namespace RomanaAws.Agent.Service;

/// <summary>
/// Where a sync spent its time: reading the desired state and the policy source, compiling, and writing the kernel
/// (routes, sets, rules). Reported in /healthz, and logged when a sync is slow.
/// </summary>
public sealed record SyncTimings(TimeSpan Read, TimeSpan Compile, TimeSpan Kernel)
{
    public TimeSpan Total => Read + Compile + Kernel;

    public override string ToString() => $"{Total.TotalMilliseconds:0} ms (read {Read.TotalMilliseconds:0}, compile {Compile.TotalMilliseconds:0}, kernel {Kernel.TotalMilliseconds:0})";
}
