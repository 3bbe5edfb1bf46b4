using k8s;

namespace RomanaAws.Agent.Kubernetes;

/// <summary>How the agent reaches the Kubernetes API: a kubeconfig file when given, else the in-cluster service account.</summary>
public static class KubernetesAccess
{
    /// <summary>A client, or null when there is no kubeconfig and this is not a pod (no KUBERNETES_SERVICE_HOST).</summary>
    public static k8s.Kubernetes? Client(string? kubeconfig)
    {
        if (kubeconfig is not null)
        {
            return new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
        }

        return KubernetesClientConfiguration.IsInCluster() ? new k8s.Kubernetes(KubernetesClientConfiguration.InClusterConfig()) : null;
    }

    /// <summary>Waits for the first list of every informer, saying every 10 s what it still waits for.</summary>
    public static async Task WaitSyncedAsync(KubernetesPolicySource source, TextWriter progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(progress);
        while (!source.Synced.IsCompleted)
        {
            if (await Task.WhenAny(source.Synced, Task.Delay(TimeSpan.FromSeconds(10), TimeProvider.System, cancellationToken)) != source.Synced)
            {
                var waiting = new[] { ("networkpolicies", source.Policies.Synced), ("namespaces", source.Namespaces.Synced), ("pods", source.Pods.Synced) }.Where(w => !w.Item2.IsCompleted).Select(w => w.Item1);
                await progress.WriteLineAsync($"kubernetes: still waiting for the first list of {string.Join(", ", waiting)}");
            }
        }
    }
}
