using RomanaAws.Aws.Ec2;
using RomanaAws.Controller.Kubernetes;
using RomanaAws.Core.Health;
using RomanaAws.Core.Leadership;
using RomanaAws.Core.Routing;

namespace RomanaAws.Controller.Reconcile;

/// <summary>
/// What a <see cref="Reconciler"/> consults besides EC2 and the state store, each defaulting to a controller without it:
/// health verdicts and flap damping (health checks), what Kubernetes says about the Nodes, and the write fence (leader
/// election). Given at construction; nothing is wired in later.
/// </summary>
public sealed record ReconcilerDependencies
{
    /// <summary>No health checks, no Kubernetes, one replica: EC2 state decides, every write allowed.</summary>
    public static ReconcilerDependencies None { get; } = new();

    /// <summary>Health of a candidate target; EC2 state alone until health checks are configured.</summary>
    public Func<InstanceSnapshot, TargetHealth> Health { get; init; } = DesiredState.FromInstanceState;

    /// <summary>Why a host is not healthy, and since when (for failover events); null when health checks are off.</summary>
    public Func<string, HostHealth?>? HealthDetail { get; init; }

    /// <summary>Flap damping (hold time, failovers per window); null to move routes whenever a target is unhealthy.</summary>
    public FailoverDamper? Damper { get; init; }

    /// <summary>What Kubernetes says about the Nodes (deleted Nodes, zones); null while Kubernetes is off.</summary>
    public NodeFactsSource? Nodes { get; init; }

    /// <summary>Asked before every mutating EC2 call and state save; pinned to its term by each pass.</summary>
    public IWriteFence Fence { get; init; } = OpenWriteFence.Instance;
}
