using System.Net;

namespace RomanaAws.Core.Routing;

/// <summary>EC2 instance states.</summary>
public enum InstanceLifecycle
{
    Pending,
    Running,
    Stopping,
    Stopped,
    ShuttingDown,
    Terminated,
}

/// <summary>A cluster instance as discovered: placement, primary ENI (device index 0), state, source/dest check, tags.</summary>
public sealed record InstanceSnapshot(
    string InstanceId,
    string Zone,
    string SubnetId,
    string VpcId,
    IPAddress PrivateIp,
    InstanceLifecycle State,
    string PrimaryNetworkInterfaceId,
    int NetworkInterfaceCount,
    bool SourceDestCheck,
    IReadOnlyDictionary<string, string> Tags)
{
    /// <summary>Gone for routing purposes: its routes blackhole and it cannot be a target.</summary>
    public bool IsGone => State is InstanceLifecycle.ShuttingDown or InstanceLifecycle.Terminated;
}
