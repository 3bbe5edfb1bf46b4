using k8s;
using k8s.Models;
using RomanaAws.Core.Configuration;
using YamlDotNet.Core;

namespace RomanaAws.Agent.Policy;

/// <summary>What a policy source holds: the policies and the namespaces and pods their selectors select.</summary>
public sealed record PolicyInputs(IReadOnlyList<PolicySpec> Policies, ClusterView Cluster)
{
    public static PolicyInputs None { get; } = new([], ClusterView.Empty);
}

/// <summary>
/// Reads Kubernetes objects from YAML or JSON (one or more documents per file, as <c>kubectl apply -f</c> takes them):
/// NetworkPolicy, Namespace and Pod (with <c>status.podIP</c>), through the official client's model types, so a file
/// means what the same object means from the API. Any other kind, and every invalid field, is an error naming it.
/// </summary>
public static class PolicyReader
{
    public static PolicyInputs Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        List<object> objects;
        try
        {
            objects = KubernetesYaml.LoadAllFromString(text, Kinds);
        }
        catch (YamlException ex)
        {
            throw new ConfigException(source, [new ConfigError(ex.Start.Line > 0 ? $"line {ex.Start.Line}" : "document", (int)ex.Start.Line, null, Inner(ex))]);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException)
        {
            throw new ConfigException(source, [new ConfigError("document", null, null, $"{ex.Message} (kinds read here: NetworkPolicy networking.k8s.io/v1, Namespace v1, Pod v1)")]);
        }

        var errors = new List<ConfigError>();
        foreach (var other in objects.Where(o => o is not (V1NetworkPolicy or V1Namespace or V1Pod)))
        {
            var kind = other is IKubernetesObject k ? $"{k.ApiVersion}/{k.Kind}" : other.GetType().Name;
            errors.Add(new ConfigError("kind", null, kind, "is not read here: NetworkPolicy (networking.k8s.io/v1), Namespace (v1) and Pod (v1) are"));
        }

        var policies = objects.OfType<V1NetworkPolicy>().Select(p => PolicyTranslator.Translate(p, errors)).OfType<PolicySpec>().ToList();
        var namespaces = objects.OfType<V1Namespace>().Select(ClusterObjects.Namespace).OfType<NamespaceInfo>().ToList();
        var pods = objects.OfType<V1Pod>().Select(ClusterObjects.Pod).OfType<PodInfo>().ToList();
        return errors.Count > 0 ? throw new ConfigException(source, errors) : new PolicyInputs(policies, new ClusterView(namespaces, pods));
    }

    /// <summary>Several sources together (a directory's files): later ones add to earlier ones.</summary>
    public static PolicyInputs Merge(IEnumerable<PolicyInputs> inputs)
    {
        var all = inputs.ToList();
        return new PolicyInputs([.. all.SelectMany(i => i.Policies)], new ClusterView([.. all.SelectMany(i => i.Cluster.Namespaces)], [.. all.SelectMany(i => i.Cluster.Pods)]));
    }

    private static readonly Dictionary<string, Type> Kinds = new(StringComparer.Ordinal)
    {
        ["networking.k8s.io/v1/NetworkPolicy"] = typeof(V1NetworkPolicy),
        ["v1/Namespace"] = typeof(V1Namespace),
        ["v1/Pod"] = typeof(V1Pod),
    };

    private static string Inner(Exception ex) => ex.InnerException is { } inner ? $"{ex.Message}: {inner.Message}" : ex.Message;
}
