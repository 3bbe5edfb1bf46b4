using RomanaAws.Core.Labels;

namespace RomanaAws.Agent.Policy;

/// <summary>
/// A Kubernetes NetworkPolicy (<c>networking.k8s.io/v1</c>) as the compiler takes it: the pods it applies to (the
/// policy's namespace, <see cref="PodSelector"/>), the directions it isolates (policyTypes with the API's defaults
/// already applied) and its rules. Checked when built from the API's object (<see cref="PolicyTranslator"/>).
/// </summary>
public sealed record PolicySpec(
    string Name,
    string Namespace,
    LabelSelector PodSelector,
    bool Ingress,
    bool Egress,
    IReadOnlyList<PolicyRule> IngressRules,
    IReadOnlyList<PolicyRule> EgressRules)
{
    public string Key => $"{Namespace}/{Name}";
}
