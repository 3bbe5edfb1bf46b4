using System.Collections.Concurrent;
using RomanaAws.Core.Health;
using RomanaAws.Core.Routing;

namespace RomanaAws.Controller.Health;

/// <summary>The latest <see cref="HostHealth"/> of every probed host, shared by the monitor (writer) and the reconciler (reader).</summary>
public sealed class HealthBook
{
    private readonly ConcurrentDictionary<string, HostHealth> _hosts = new(StringComparer.Ordinal);

    public HostHealth? Get(string instanceId) => _hosts.GetValueOrDefault(instanceId);

    /// <summary>Raised with the instance id when a host's state changes (the Kubernetes node sync re-checks its condition).</summary>
    public event Action<string>? StateChanged;

    public void Set(string instanceId, HostHealth health)
    {
        ArgumentNullException.ThrowIfNull(health);
        var before = _hosts.GetValueOrDefault(instanceId);
        _hosts[instanceId] = health;
        if (before is null || before.State != health.State)
        {
            StateChanged?.Invoke(instanceId);
        }
    }

    public IReadOnlyDictionary<string, HostHealth> All => _hosts;

    /// <summary>
    /// A candidate's health: EC2's view from the latest snapshot wins when it says down or in transit; otherwise the
    /// probes' verdict (hosts never probed yet count as healthy when EC2 says running).
    /// </summary>
    public TargetHealth Of(InstanceSnapshot instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var ec2 = DesiredState.FromInstanceState(instance);
        if (ec2 != TargetHealth.Healthy)
        {
            return ec2;
        }

        return _hosts.TryGetValue(instance.InstanceId, out var health) ? health.State : TargetHealth.Healthy;
    }
}
