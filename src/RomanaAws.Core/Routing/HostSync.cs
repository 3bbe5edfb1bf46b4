using RomanaAws.Core.Ipam;

namespace RomanaAws.Core.Routing;

/// <summary>What one host sync changed in the IPAM.</summary>
public sealed record HostSyncResult(IReadOnlyList<string> Added, IReadOnlyList<string> Removed, IReadOnlyList<string> Problems)
{
    public bool Changed => Added.Count > 0 || Removed.Count > 0;
}

/// <summary>
/// Keeps the IPAM's hosts in step with discovery: live instances are registered (zone from the AZ, subnet from the
/// instance); a host whose instance is terminated or absent is removed once it has been gone for the grace period,
/// or at once when a new instance takes its IP or when Kubernetes deleted its Node (<paramref name="nodeDeleted"/>:
/// instances whose Node was seen and is gone). A running instance stays a host whatever Kubernetes says (its kubelet
/// registers it again). <paramref name="goneSince"/> is the caller's memory of when each host was first seen gone.
/// Decides and mutates only the IPAM it is given.
/// </summary>
public static class HostSync
{
    public static HostSyncResult Apply(
        Ipam.Ipam ipam, IReadOnlyList<InstanceSnapshot> instances, Dictionary<string, DateTimeOffset> goneSince, DateTimeOffset now, TimeSpan grace,
        IReadOnlySet<string>? nodeDeleted = null)
    {
        ArgumentNullException.ThrowIfNull(ipam);
        ArgumentNullException.ThrowIfNull(instances);
        ArgumentNullException.ThrowIfNull(goneSince);
        var byId = instances.GroupBy(i => i.InstanceId).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var added = new List<string>();
        var removed = new List<string>();
        var problems = new List<string>();

        // An empty view of a cluster that has hosts is far more likely a broken discovery than a dead cluster.
        if (instances.Count == 0 && ipam.HostCount > 0)
        {
            return new HostSyncResult([], [], [$"discovery found no cluster instance while {ipam.HostCount} host(s) are registered; keeping them (check the cluster tags and permissions)"]);
        }

        foreach (var host in ipam.Hosts)
        {
            if (byId.TryGetValue(host.InstanceId, out var instance) && !instance.IsGone)
            {
                goneSince.Remove(host.InstanceId);
                continue;
            }

            var since = goneSince.TryGetValue(host.InstanceId, out var seen) ? seen : goneSince[host.InstanceId] = now;
            var reusedIp = instances.Any(i => !i.IsGone && i.InstanceId != host.InstanceId && i.PrivateIp.Equals(host.PrimaryIp));
            if (now - since >= grace || reusedIp || nodeDeleted?.Contains(host.InstanceId) == true)
            {
                ipam.RemoveHost(host.InstanceId);
                goneSince.Remove(host.InstanceId);
                removed.Add(host.InstanceId);
            }
        }

        foreach (var instance in instances.Where(i => !i.IsGone && !ipam.HasHost(i.InstanceId)).OrderBy(i => i.InstanceId, StringComparer.Ordinal))
        {
            try
            {
                ipam.AddHost(new HostSpec(instance.InstanceId, instance.Zone, instance.SubnetId, instance.PrivateIp));
                added.Add(instance.InstanceId);
            }
            catch (IpamException ex)
            {
                problems.Add(ex.Message);
            }
        }

        return new HostSyncResult(added, removed, problems);
    }
}
