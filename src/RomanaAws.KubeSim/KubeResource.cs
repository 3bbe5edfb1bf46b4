namespace RomanaAws.KubeSim;

/// <summary>One resource the stand-in serves: where it lives in the API, its kind and what can select it.</summary>
public sealed record KubeResource(string Group, string Version, string Plural, string Kind, bool Namespaced, IReadOnlyList<string> ShortNames, IReadOnlyList<string> FieldLabels, bool HasStatus)
{
    public string GroupVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>"pods", "networkpolicies.networking.k8s.io": how the API names a resource in messages.</summary>
    public string QualifiedPlural => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public static readonly KubeResource Namespaces = new(string.Empty, "v1", "namespaces", "Namespace", false, ["ns"], ["status.phase"], true);
    public static readonly KubeResource Nodes = new(string.Empty, "v1", "nodes", "Node", false, ["no"], ["spec.unschedulable"], true);
    public static readonly KubeResource Pods = new(string.Empty, "v1", "pods", "Pod", true, ["po"], ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"], true);
    public static readonly KubeResource Events = new(string.Empty, "v1", "events", "Event", true, ["ev"], ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"], false);
    public static readonly KubeResource NetworkPolicies = new("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", true, ["netpol"], [], false);

    public static readonly KubeResource Secrets = new(string.Empty, "v1", "secrets", "Secret", true, [], ["type"], false);

    /// <summary>Create-only and never stored: the answer is the review (<see cref="ServiceAccountTokens.Review"/>).</summary>
    public static readonly KubeResource TokenReviews = new("authentication.k8s.io", "v1", "tokenreviews", "TokenReview", false, [], [], false);

    public static readonly IReadOnlyList<KubeResource> All = [Namespaces, Nodes, Pods, Events, NetworkPolicies, Secrets, TokenReviews];

    public static KubeResource? Find(string groupVersion, string plural) => All.FirstOrDefault(r => r.GroupVersion == groupVersion && r.Plural == plural);
}
