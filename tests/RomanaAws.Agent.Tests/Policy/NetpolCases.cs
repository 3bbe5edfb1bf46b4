namespace RomanaAws.Agent.Tests.Policy;

/// <summary>
/// Cases transcribed from the upstream Kubernetes e2e suite (test/e2e/network/netpol/network_policy.go), by their
/// <c>ginkgo.It</c> names; the expected reachability is the upstream test's, written here by hand. The suite's DNS
/// allowances in egress policies are left out (the lab has no DNS). docs/agent.md lists them.
/// </summary>
internal static class NetpolCases
{
    public static readonly IReadOnlyList<NetpolCase> All =
    [
        One("should support a 'default-deny-ingress' policy",
            Np("deny-ingress", "x", "podSelector: {}, policyTypes: [Ingress]"),
            p => p.ToNamespace != "x"),
        One("should support a 'default-deny-all' policy",
            Np("deny-all", "x", "podSelector: {}, policyTypes: [Ingress, Egress]"),
            p => p.ToNamespace != "x" && p.FromNamespace != "x"),
        One("should enforce policy to allow traffic from pods within server namespace based on PodSelector",
            Np("x-a-from-b", "x", "podSelector: { matchLabels: { pod: a } }, ingress: [{ from: [{ podSelector: { matchLabels: { pod: b } } }] }]"),
            p => p.To != "x/a" || p.From == "x/b"),
        One("should enforce policy to allow traffic only from a different namespace, based on NamespaceSelector",
            Np("x-a-from-y", "x", "podSelector: { matchLabels: { pod: a } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: y } } }] }]"),
            p => p.To != "x/a" || p.FromNamespace == "y"),
        One("should enforce policy based on PodSelector with MatchExpressions",
            Np("x-a-from-b-expr", "x", "podSelector: { matchLabels: { pod: a } }, ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: pod, operator: In, values: [b] }] } }] }]"),
            p => p.To != "x/a" || p.From == "x/b"),
        One("should enforce policy based on NamespaceSelector with MatchExpressions",
            Np("x-a-from-y-expr", "x", "podSelector: { matchLabels: { pod: a } }, ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: ns, operator: In, values: [y] }] } }] }]"),
            p => p.To != "x/a" || p.FromNamespace == "y"),
        One("should enforce policy based on PodSelector or NamespaceSelector",
            Np("x-a-b-or-not-x", "x", "podSelector: { matchLabels: { pod: a } }, ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: ns, operator: NotIn, values: [x] }] } }, { podSelector: { matchLabels: { pod: b } } }] }]"),
            p => p.To != "x/a" || p.FromNamespace != "x" || p.From == "x/b"),
        One("should enforce policy based on PodSelector and NamespaceSelector",
            Np("x-a-b-and-not-x", "x", "podSelector: { matchLabels: { pod: a } }, ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: ns, operator: NotIn, values: [x] }] }, podSelector: { matchLabels: { pod: b } } }] }]"),
            p => p.To != "x/a" || p.From is "y/b" or "z/b"),
        One("should enforce policy based on Multiple PodSelectors and NamespaceSelectors",
            Np("x-a-bc-and-not-x", "x", "podSelector: { matchLabels: { pod: a } }, ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: ns, operator: NotIn, values: [x] }] }, podSelector: { matchExpressions: [{ key: pod, operator: In, values: [b, c] }] } }] }]"),
            p => p.To != "x/a" || p.From is "y/b" or "y/c" or "z/b" or "z/c"),
        One("should enforce policy based on any PodSelectors",
            Np("x-a-from-b-or-c", "x", "podSelector: { matchLabels: { pod: a } }, ingress: [{ from: [{ podSelector: { matchLabels: { pod: b } } }, { podSelector: { matchLabels: { pod: c } } }] }]"),
            p => p.To != "x/a" || p.From is "x/b" or "x/c"),
        One("should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector",
            Np("x-a-from-y-a", "x", "podSelector: { matchLabels: { pod: a } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: y } }, podSelector: { matchLabels: { pod: a } } }] }]"),
            p => p.To != "x/a" || p.From == "y/a"),
        One("should enforce policy based on Ports",
            Np("x-a-from-y-81", "x", "podSelector: { matchLabels: { pod: a } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: y } } }], ports: [{ port: 81, protocol: TCP }] }]"),
            p => p.To != "x/a" || (p.FromNamespace == "y" && p is { Protocol: "TCP", Port: 81 })),
        One("should enforce multiple, stacked policies with overlapping podSelectors",
            Np("x-a-from-y-80", "x", "podSelector: { matchLabels: { pod: a } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: y } } }], ports: [{ port: 80, protocol: TCP }] }]")
            + Np("x-a-from-y-81", "x", "podSelector: { matchLabels: { pod: a } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: y } } }], ports: [{ port: 81, protocol: TCP }] }]"),
            p => p.To != "x/a" || (p.FromNamespace == "y" && p.Protocol == "TCP")),
        One("should support allow-all policy",
            Np("allow-all", "x", "podSelector: {}, ingress: [{}]"),
            _ => true),
        One("should allow ingress access on one named port",
            Np("x-named-81", "x", "podSelector: {}, ingress: [{ ports: [{ port: serve-81-tcp }] }]"),
            p => p.ToNamespace != "x" || p is { Protocol: "TCP", Port: 81 }),
        One("should allow ingress access from namespace on one named port",
            Np("x-from-y-named-80", "x", "podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: y } } }], ports: [{ port: serve-80-tcp }] }]"),
            p => p.ToNamespace != "x" || (p.FromNamespace == "y" && p is { Protocol: "TCP", Port: 80 })),
        One("should allow egress access on one named port",
            Np("x-egress-named-80", "x", "podSelector: {}, policyTypes: [Egress], egress: [{ ports: [{ port: serve-80-tcp }] }]"),
            p => p.FromNamespace != "x" || p is { Protocol: "TCP", Port: 80 }),
        One("should deny ingress from pods on other namespaces",
            Np("x-same-namespace", "x", "podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }]"),
            p => p.ToNamespace != "x" || p.FromNamespace == "x"),
        One("should deny egress from pods based on PodSelector",
            Np("x-a-deny-egress", "x", "podSelector: { matchLabels: { pod: a } }, policyTypes: [Egress]"),
            p => p.From != "x/a"),
        One("should deny egress from all pods in a namespace",
            Np("x-deny-egress", "x", "podSelector: {}, policyTypes: [Egress]"),
            p => p.FromNamespace != "x"),
        One("should work with Ingress, Egress specified together",
            Np("x-a-b-both", "x", "podSelector: { matchLabels: { pod: a } }, policyTypes: [Ingress, Egress], ingress: [{ from: [{ podSelector: { matchLabels: { pod: b } } }] }], egress: [{ ports: [{ port: 80, protocol: TCP }] }]"),
            p => (p.To != "x/a" || p.From == "x/b") && (p.From != "x/a" || p is { Protocol: "TCP", Port: 80 })),
        One("should support denying of egress traffic on the client side (even if the server explicitly allows this traffic)",
            Np("x-a-egress-to-y", "x", "podSelector: { matchLabels: { pod: a } }, policyTypes: [Egress], egress: [{ to: [{ namespaceSelector: { matchLabels: { ns: y } } }] }]")
            + Np("z-allow-all", "z", "podSelector: {}, ingress: [{}]"),
            p => p.From != "x/a" || p.ToNamespace == "y"),
        One("should enforce egress policy allowing traffic to a server in a different namespace based on PodSelector and NamespaceSelector",
            Np("x-a-egress-y-a", "x", "podSelector: { matchLabels: { pod: a } }, policyTypes: [Egress], egress: [{ to: [{ namespaceSelector: { matchLabels: { ns: y } }, podSelector: { matchLabels: { pod: a } } }] }]"),
            p => p.From != "x/a" || p.To == "y/a"),
        One("should enforce ingress policy allowing any port traffic to a server on a specific protocol",
            Np("x-a-tcp-only", "x", "podSelector: { matchLabels: { pod: a } }, ingress: [{ ports: [{ protocol: TCP }] }]"),
            p => p.To != "x/a" || p.Protocol == "TCP"),
        One("should enforce multiple ingress policies with ingress allow-all policy taking precedence",
            Np("x-a-80", "x", "podSelector: { matchLabels: { pod: a } }, ingress: [{ ports: [{ port: 80 }] }]")
            + Np("x-a-all", "x", "podSelector: { matchLabels: { pod: a } }, ingress: [{}]"),
            _ => true),
        One("should enforce multiple egress policies with egress allow-all policy taking precedence",
            Np("x-a-egress-80", "x", "podSelector: { matchLabels: { pod: a } }, policyTypes: [Egress], egress: [{ ports: [{ port: 80 }] }]")
            + Np("x-a-egress-all", "x", "podSelector: { matchLabels: { pod: a } }, policyTypes: [Egress], egress: [{}]"),
            _ => true),
        One("should allow egress access to server in CIDR block",
            Np("x-a-egress-cidr", "x", "podSelector: { matchLabels: { pod: a } }, policyTypes: [Egress], egress: [{ to: [{ ipBlock: { cidr: $(y/b)/32 } }] }]"),
            p => p.From != "x/a" || p.To == "y/b"),
        One("should enforce except clause while egress access to server in CIDR block",
            Np("x-a-egress-except", "x", "podSelector: { matchLabels: { pod: a } }, policyTypes: [Egress], egress: [{ to: [{ ipBlock: { cidr: $(y/b)/24, except: [$(y/b)/32] } }] }]"),
            p => p.From != "x/a" || (p.ToNamespace == "y" && p.To != "y/b")),
        One("should ensure an IP overlapping both IPBlock.CIDR and IPBlock.Except is allowed",
            Np("x-a-egress-overlap", "x", "podSelector: { matchLabels: { pod: a } }, policyTypes: [Egress], egress: [{ to: [{ ipBlock: { cidr: $(y/b)/24, except: [$(y/b)/32] } }] }, { to: [{ ipBlock: { cidr: $(y/b)/32 } }] }]"),
            p => p.From != "x/a" || p.ToNamespace == "y"),
        One("should not mistakenly treat 'protocol: SCTP' as 'protocol: TCP', even if the plugin doesn't support SCTP",
            Np("x-a-sctp", "x", "podSelector: { matchLabels: { pod: a } }, ingress: [{ ports: [{ protocol: SCTP, port: 80 }] }]"),
            p => p.To != "x/a"),
        One("should not allow access by TCP when a policy specifies only UDP",
            Np("x-a-udp-81", "x", "podSelector: { matchLabels: { pod: a } }, ingress: [{ ports: [{ protocol: UDP, port: 81 }] }]"),
            p => p.To != "x/a" || p is { Protocol: "UDP", Port: 81 }),
        One("should support allow traffic on a range of ports (endPort)",
            Np("x-a-range", "x", "podSelector: { matchLabels: { pod: a } }, ingress: [{ ports: [{ protocol: TCP, port: 80, endPort: 81 }] }]"),
            p => p.To != "x/a" || p.Protocol == "TCP"),
        new("should enforce updated policy",
        [
            new(Np("x-a-update", "x", "podSelector: { matchLabels: { pod: a } }, ingress: [{ ports: [{ port: 81, protocol: TCP }] }]"), p => p.To != "x/a" || p is { Protocol: "TCP", Port: 81 }),
            new(Np("x-a-update", "x", "podSelector: { matchLabels: { pod: a } }, ingress: [{ ports: [{ port: 80, protocol: TCP }] }]"), p => p.To != "x/a" || p is { Protocol: "TCP", Port: 80 }),
        ]),
        new("should allow ingress access from updated namespace",
        [
            new(Np("x-a-from-ns2", "x", "podSelector: { matchLabels: { pod: a } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns2: updated } } }] }]"), p => p.To != "x/a"),
            new(Np("x-a-from-ns2", "x", "podSelector: { matchLabels: { pod: a } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns2: updated } } }] }]"), p => p.To != "x/a" || p.FromNamespace == "y",
                NamespaceLabels: new Dictionary<string, Dictionary<string, string>> { ["y"] = new() { ["ns2"] = "updated" } }),
        ]),
        new("should allow ingress access from updated pod",
        [
            new(Np("x-a-from-pod2", "x", "podSelector: { matchLabels: { pod: a } }, ingress: [{ from: [{ podSelector: { matchLabels: { pod2: updated } } }] }]"), p => p.To != "x/a"),
            new(Np("x-a-from-pod2", "x", "podSelector: { matchLabels: { pod: a } }, ingress: [{ from: [{ podSelector: { matchLabels: { pod2: updated } } }] }]"), p => p.To != "x/a" || p.From == "x/b",
                PodLabels: new Dictionary<string, Dictionary<string, string>> { ["x/b"] = new() { ["pod2"] = "updated" } }),
        ]),
        new("should deny ingress access to updated pod",
        [
            new(Np("x-deny-target", "x", "podSelector: { matchLabels: { target: 'true' } }, policyTypes: [Ingress]"), _ => true),
            new(Np("x-deny-target", "x", "podSelector: { matchLabels: { target: 'true' } }, policyTypes: [Ingress]"), p => p.To != "x/a",
                PodLabels: new Dictionary<string, Dictionary<string, string>> { ["x/a"] = new() { ["target"] = "true" } }),
        ]),
        new("should stop enforcing policies after they are deleted",
        [
            new(Np("deny-all", "x", "podSelector: {}, policyTypes: [Ingress, Egress]"), p => p.ToNamespace != "x" && p.FromNamespace != "x"),
            new(string.Empty, _ => true),
        ]),
    ];

    private static NetpolCase One(string upstream, string policies, Func<Probe, bool> allowed) => new(upstream, [new NetpolStep(policies, allowed)]);

    private static string Np(string name, string ns, string spec) => $$"""
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: {{name}}, namespace: {{ns}} }
        spec: { {{spec}} }

        """;
}
