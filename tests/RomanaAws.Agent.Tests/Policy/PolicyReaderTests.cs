using RomanaAws.Agent.Policy;
using RomanaAws.Core.Configuration;
using RomanaAws.Core.Labels;

namespace RomanaAws.Agent.Tests.Policy;

public sealed class PolicyReaderTests
{
    [Fact]
    public void Parse_PoliciesNamespacesPods_WithTheApiDefaults()
    {
        var inputs = PolicyReader.Parse("""
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: { name: web-allow, namespace: shop }
            spec:
              podSelector: { matchLabels: { app: web } }
              ingress:
                - from:
                    - podSelector: {}
                    - namespaceSelector: { matchExpressions: [{ key: team, operator: Exists }] }
                      podSelector: { matchLabels: { role: lb } }
                    - ipBlock: { cidr: 10.0.0.0/8, except: [10.1.0.0/16] }
                  ports: [{ protocol: TCP, port: 8080 }, { port: 9000, endPort: 9100 }, { port: http }]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: { name: deny-egress }
            spec: { podSelector: {}, egress: [{}] }
            ---
            apiVersion: v1
            kind: Namespace
            metadata: { name: shop, labels: { team: a } }
            ---
            { "apiVersion": "v1", "kind": "Pod", "metadata": { "name": "web-1", "namespace": "shop", "labels": { "app": "web" } },
              "spec": { "containers": [{ "name": "c", "ports": [{ "name": "http", "containerPort": 8081 }] }] }, "status": { "podIP": "100.96.0.5" } }
            ---
            apiVersion: v1
            kind: Pod
            metadata: { name: host, namespace: kube-system }
            spec: { hostNetwork: true, containers: [{ name: c }] }
            status: { podIP: 10.0.0.5 }
            """, "p.yaml");
        var web = inputs.Policies[0];
        Assert.Equal(("shop", "app=web", true, false), (web.Namespace, web.PodSelector.ToString(), web.Ingress, web.Egress));
        var rule = Assert.Single(web.IngressRules);
        Assert.Equal([new PodPeer(LabelSelector.Everything, null), new PodPeer(LabelSelectorParser.Parse("role=lb"), LabelSelectorParser.Parse("team"))], rule.Peers.OfType<PodPeer>());
        Assert.Equal("10.0.0.0/8 except 10.1.0.0/16", rule.Peers.OfType<IpBlockPeer>().Single().ToString());
        Assert.Equal([new PolicyPort("TCP", 8080, null), new PolicyPort("TCP", 9000, 9100), PolicyPort.Named("TCP", "http")], rule.Ports);
        Assert.Equal(("default", true, true), (inputs.Policies[1].Namespace, inputs.Policies[1].Ingress, inputs.Policies[1].Egress));
        Assert.Equal("a", inputs.Cluster.Namespaces.Single().Labels["team"]);
        Assert.Equal("shop", inputs.Cluster.Namespaces.Single().Labels[ClusterView.NamespaceNameLabel]);
        var pod = Assert.Single(inputs.Cluster.Pods);
        Assert.Equal(("shop/web-1", "100.96.0.5/32", new NamedPort("http", "TCP", 8081)), (pod.Key, pod.Address.ToString(), pod.Ports.Single()));
    }

    [Fact]
    public void Parse_InvalidFields_AreRefusedNamingFieldValueAndWhatIsValid()
    {
        var ex = Assert.Throws<ConfigException>(() => PolicyReader.Parse("""
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: { name: p, namespace: shop }
            spec:
              podSelector: { matchExpressions: [{ key: app, operator: Maybe, values: [x] }] }
              policyTypes: [Sideways]
              ingress:
                - from: [{ namespaceSelector: { matchLabels: { "bad key!": a } } }, {}, { ipBlock: { cidr: 10.0.0.0/8, except: [11.0.0.0/16] } }]
                  ports: [{ port: Http_Port }, { protocol: ICMP }, { port: 90, endPort: 80 }, { port: http, endPort: 90 }]
            """, "bad.yaml"));
        string[] expected =
        [
            "spec.podSelector.matchExpressions[0].operator", "spec.policyTypes[0]", "from[0].namespaceSelector.matchLabels", "from[1]", "from[2].ipBlock.except[0]",
            "ports[0].port", "ports[1].protocol", "ports[2].endPort", "ports[3].endPort",
        ];
        foreach (var path in expected)
        {
            Assert.True(ex.Errors.Any(e => e.Path.Contains(path, StringComparison.Ordinal)), $"no error at {path}: {ex.Message}");
        }

        Assert.Contains(ex.Errors, e => e.Value == "Maybe" && e.Message.Contains("In, NotIn, Exists or DoesNotExist", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Value == "Http_Port" && e.Message.Contains("IANA_SVC_NAME", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_UnknownKind_NamesTheKindsRead() =>
        Assert.Contains("NetworkPolicy", Assert.Throws<ConfigException>(() => PolicyReader.Parse("apiVersion: v1\nkind: Service\nmetadata: { name: s }\n", "svc.yaml")).Message, StringComparison.Ordinal);
}
