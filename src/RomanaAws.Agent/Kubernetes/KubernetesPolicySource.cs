using k8s;
using k8s.Models;
using RomanaAws.Agent.Policy;
using RomanaAws.Core.Configuration;
using RomanaAws.Informers;

namespace RomanaAws.Agent.Kubernetes;

/// <summary>
/// Policies, namespaces and pods from the API server: three informers (NetworkPolicies and Pods in every namespace,
/// Namespaces), each list + watch. <see cref="Read"/> translates the cached objects; a policy the translator refuses
/// (the API server validates, so this is a policy from a newer API than ours) is left out and reported once, the
/// others stay in force. <see cref="Changed"/> completes on every change, so the agent syncs within the second.
/// </summary>
public sealed class KubernetesPolicySource : IPolicySource
{
    private readonly Func<string, Task> _report;
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);
    private Dictionary<string, (string? Version, PodInfo? Pod)> _pods = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public KubernetesPolicySource(IKubernetes client, Func<string, Task> report, TimeProvider time, TimeSpan resync)
    {
        ArgumentNullException.ThrowIfNull(client);
        _report = report;
        Policies = new Informer<V1NetworkPolicy>("networkpolicies",
            async ct => Page(await client.NetworkingV1.ListNetworkPolicyForAllNamespacesAsync(cancellationToken: ct)),
            (version, onError, ct) => client.NetworkingV1.WatchListNetworkPolicyForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: version, onError: onError, cancellationToken: ct),
            Signal, report, time, resync);
        Namespaces = new Informer<V1Namespace>("namespaces",
            async ct => Page(await client.CoreV1.ListNamespaceAsync(cancellationToken: ct)),
            (version, onError, ct) => client.CoreV1.WatchListNamespaceAsync(allowWatchBookmarks: true, resourceVersion: version, onError: onError, cancellationToken: ct),
            Signal, report, time, resync);
        Pods = new Informer<V1Pod>("pods",
            async ct => Page(await client.CoreV1.ListPodForAllNamespacesAsync(cancellationToken: ct)),
            (version, onError, ct) => client.CoreV1.WatchListPodForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: version, onError: onError, cancellationToken: ct),
            Signal, report, time, resync);
    }

    public Informer<V1NetworkPolicy> Policies { get; }

    public Informer<V1Namespace> Namespaces { get; }

    public Informer<V1Pod> Pods { get; }

    public Task Changed
    {
        get
        {
            lock (_lock)
            {
                return _changed.Task;
            }
        }
    }

    /// <summary>Completes when all three informers have listed once.</summary>
    public Task Synced => Task.WhenAll(Policies.Synced, Namespaces.Synced, Pods.Synced);

    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(Policies.RunAsync(cancellationToken), Namespaces.RunAsync(cancellationToken), Pods.RunAsync(cancellationToken));

    public PolicyInputs Read()
    {
        var policies = new List<PolicySpec>();
        foreach (var policy in Policies.Items.OrderBy(p => p.Metadata.NamespaceProperty, StringComparer.Ordinal).ThenBy(p => p.Metadata.Name, StringComparer.Ordinal))
        {
            var errors = new List<ConfigError>();
            if (PolicyTranslator.Translate(policy, errors) is { } spec)
            {
                policies.Add(spec);
            }
            else if (_reported.Add($"{policy.Metadata.NamespaceProperty}/{policy.Metadata.Name}@{policy.Metadata.ResourceVersion}"))
            {
                _ = _report($"NetworkPolicy {policy.Metadata.NamespaceProperty}/{policy.Metadata.Name} left out (the others are enforced): {string.Join("; ", errors)}");
            }
        }

        var namespaces = Namespaces.Items.Select(ClusterObjects.Namespace).OfType<NamespaceInfo>().ToList();
        return new PolicyInputs(policies, new ClusterView(namespaces, PodInfos()));
    }

    /// <summary>The pods as policy sees them; a pod unchanged since the last read (same resourceVersion) is not translated again.</summary>
    private List<PodInfo> PodInfos()
    {
        var next = new Dictionary<string, (string? Version, PodInfo? Pod)>(_pods.Count, StringComparer.Ordinal);
        var result = new List<PodInfo>(_pods.Count);
        foreach (var pod in Pods.Items)
        {
            var key = $"{pod.Metadata.NamespaceProperty}/{pod.Metadata.Name}";
            var version = pod.Metadata.ResourceVersion;
            var info = _pods.TryGetValue(key, out var known) && known.Version == version && version is not null ? known.Pod : ClusterObjects.Pod(pod);
            next[key] = (version, info);
            if (info is not null)
            {
                result.Add(info);
            }
        }

        _pods = next;
        return result;
    }

    private void Signal()
    {
        TaskCompletionSource done;
        lock (_lock)
        {
            done = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        done.TrySetResult();
    }

    private static ListPage<T> Page<T>(IItems<T> list) => new([.. list.Items], ((IMetadata<V1ListMeta>)list).Metadata.ResourceVersion);
}
