using System.Net;

namespace RomanaAws.VpcSim.World;

/// <summary>An EC2 instance. Its state moves through the EC2 lifecycle with simulated transition times.</summary>
internal sealed class SimInstance
{
    public required string Id { get; init; }

    public required string ImageId { get; init; }

    public required string InstanceType { get; init; }

    public required SimSubnet Subnet { get; init; }

    public required DateTimeOffset LaunchTime { get; set; }

    public InstanceState State { get; set; } = InstanceState.Running;

    /// <summary>A state the instance is moving to, and when it gets there.</summary>
    public (InstanceState State, DateTimeOffset At)? Transition { get; set; }

    /// <summary>Network interfaces by device index; index 0 is the primary.</summary>
    public List<SimNetworkInterface> Interfaces { get; } = [];

    public SimTags Tags { get; } = new();

    public SimNetworkInterface Primary => Interfaces[0];

    public IPAddress PrivateIp => Primary.PrivateIp;

    /// <summary>Set through the admin API: the simulated node agent's health endpoint answers 503.</summary>
    public bool HealthFailing { get; set; }

    /// <summary>Set through the admin API: EC2 status checks report impaired.</summary>
    public bool StatusImpaired { get; set; }

    /// <summary>Set through the admin API: a scheduled event (e.g. system-maintenance) shows in DescribeInstanceStatus.</summary>
    public string? ScheduledEvent { get; set; }

    /// <summary>Applies a due transition.</summary>
    public void Advance(DateTimeOffset now)
    {
        if (Transition is { } t && t.At <= now)
        {
            State = t.State;
            Transition = null;
        }
    }
}
