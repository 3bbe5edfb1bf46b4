namespace RomanaAws.Controller.Configuration;

/// <summary>
/// The <c>kubernetes:</c> section. The API is reached through <see cref="Kubeconfig"/> when set (or <c>--kubeconfig</c>),
/// else through the in-cluster service account when the controller runs in a pod, else not at all (Kubernetes features off).
/// </summary>
public sealed class KubernetesSettings
{
    public const string Section = "kubernetes";

    /// <summary>A kubeconfig file (its current context); null for in-cluster config when in a cluster.</summary>
    public string? Kubeconfig { get; set; }

    /// <summary>The Node watch's full relist, a safety net under list + watch.</summary>
    [SettingRange(30, 86_400)]
    public int ResyncSeconds { get; set; } = 300;

    /// <summary>What the binder's types and ranges cannot say.</summary>
    public IEnumerable<SettingProblem> Validate()
    {
        if (Kubeconfig is not { } path)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(path) || !File.Exists(path))
        {
            yield return new SettingProblem("kubernetes:kubeconfig", path, "is not a readable file; give the path of a kubeconfig, or leave it out for in-cluster config");
            yield break;
        }

        string? problem = null;
        try
        {
            _ = k8s.KubernetesClientConfiguration.BuildConfigFromConfigFile(path);
        }
        catch (Exception ex) when (ex is k8s.Exceptions.KubeConfigException or IOException or UnauthorizedAccessException or FormatException or YamlDotNet.Core.YamlException)
        {
            problem = $"cannot be used: {ex.Message}";
        }

        if (problem is not null)
        {
            yield return new SettingProblem("kubernetes:kubeconfig", path, problem);
        }
    }
}
