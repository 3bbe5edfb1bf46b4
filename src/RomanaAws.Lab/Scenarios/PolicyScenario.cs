namespace RomanaAws.Lab.Scenarios;

/// <summary>
/// The policy scenario: pods spread over three Kubernetes namespaces (<see cref="Owners"/>), and a NetworkPolicy set
/// applied to every agent: <c>db</c> admits only TCP 8080 from <c>web</c>; <c>web</c> may send only to <c>web</c> and
/// <c>db</c>. <see cref="Expected"/> is the matrix those policies mean, from the NetworkPolicy rules themselves (pure,
/// written independently of the agent's compiler): the lab asserts the observed matrix equals it, cell by cell.
/// </summary>
public static class PolicyScenario
{
    /// <summary>The pods' namespaces, assigned round robin over the lab's pods.</summary>
    public static readonly IReadOnlyList<string> Owners = ["default", "web", "db"];

    public const string Yaml = """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: db-from-web-tcp, namespace: db }
        spec:
          podSelector: {}
          policyTypes: [Ingress]
          ingress:
            - from: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: web } } }]
              ports: [{ protocol: TCP, port: 8080 }]
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: web-egress-in-app, namespace: web }
        spec:
          podSelector: {}
          policyTypes: [Egress]
          egress:
            - to:
                - namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: web } }
                - namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: db } }
        """;

    /// <summary>The namespace of the <paramref name="index"/>-th pod the lab makes.</summary>
    public static string OwnerOf(int index) => Owners[index % Owners.Count];

    /// <summary>Every cell the policies allow, given each pod's namespace (by pod name).</summary>
    public static HashSet<Reach> Expected(IReadOnlyDictionary<string, string> ownerOf)
    {
        ArgumentNullException.ThrowIfNull(ownerOf);
        return [.. ReachMatrix.All([.. ownerOf.Keys]).Where(r => Allowed(ownerOf[r.From], ownerOf[r.To], r.Protocol))];
    }

    private static bool Allowed(string from, string to, LabProtocol protocol)
    {
        // Egress of the source (web is isolated for egress) and ingress of the destination (db is isolated for ingress) must both allow.
        var egress = from != "web" || to is "web" or "db";
        var ingress = to != "db" || (from == "web" && protocol == LabProtocol.Tcp);
        return egress && ingress;
    }
}
