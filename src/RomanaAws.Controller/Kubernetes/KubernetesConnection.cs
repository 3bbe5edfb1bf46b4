using k8s;
using RomanaAws.Controller.Configuration;

namespace RomanaAws.Controller.Kubernetes;

/// <summary>How the controller reaches the API server: a kubeconfig by setting, else in-cluster, else none.</summary>
public static class KubernetesConnection
{
    /// <summary>The client configuration and how it was chosen; null configuration when Kubernetes is off.</summary>
    public static (KubernetesClientConfiguration? Config, string How) Resolve(KubernetesSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Kubeconfig is { } path)
        {
            return (KubernetesClientConfiguration.BuildConfigFromConfigFile(path), $"kubeconfig {path}");
        }

        return KubernetesClientConfiguration.IsInCluster()
            ? (KubernetesClientConfiguration.InClusterConfig(), "in-cluster service account")
            : (null, "none (no kubernetes.kubeconfig and not in a cluster)");
    }
}
