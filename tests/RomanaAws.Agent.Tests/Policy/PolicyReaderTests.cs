using RomanaAws.Agent.Policy;
using RomanaAws.Core.Configuration;

namespace RomanaAws.Agent.Tests.Policy;

public sealed class PolicyReaderTests
{
    [Fact]
    public void Parse_KubernetesNetworkPolicy_ToOwnersAndRules()
    {
        var policies = PolicyReader.Parse("""
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: { name: web-allow, namespace: shop }
            spec:
              podSelector: { matchLabels: { romana.io/segment: web } }
              ingress:
                - from:
                    - podSelector: {}
                    - namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: ingress } }
                    - ipBlock: { cidr: 10.0.0.0/8, except: [10.1.0.0/16] }
                  ports: [{ protocol: TCP, port: 8080 }, { port: 9000, endPort: 9100 }]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: { name: deny-egress, namespace: shop }
            spec: { podSelector: {}, policyTypes: [Egress] }
            """, "p.yaml");
        var web = policies[0];
        Assert.Equal(("shop", "web", true, false), (web.Namespace, web.Segment, web.Ingress, web.Egress));
        var rule = Assert.Single(web.IngressRules);
        Assert.Equal([new OwnerPeer("shop", null), new OwnerPeer("ingress", null)], rule.Peers.OfType<OwnerPeer>());
        Assert.Equal("10.0.0.0/8 except 10.1.0.0/16", rule.Peers.OfType<IpBlockPeer>().Single().ToString());
        Assert.Equal([new PolicyPort("TCP", 8080, null), new PolicyPort("TCP", 9000, 9100)], rule.Ports);
        Assert.True(policies[1].Selects("shop/web") && policies[1].Selects("shop") && !policies[1].Selects("other"));
        Assert.Equal((false, true), (policies[1].Ingress, policies[1].Egress));
    }

    [Fact]
    public void Parse_WhatBlocksCannotEnforce_IsRefusedNamingTheField()
    {
        var ex = Assert.Throws<ConfigException>(() => PolicyReader.Parse("""
            kind: NetworkPolicy
            metadata: { name: p, namespace: shop }
            spec:
              podSelector: { matchLabels: { app: web } }
              ingress:
                - from: [{ namespaceSelector: { matchLabels: { team: a } } }]
                  ports: [{ port: http }, { protocol: ICMP }]
            """, "bad.yaml"));
        Assert.Contains(ex.Errors, e => e.Path == "spec.podSelector.matchLabels.app" && e.Message.Contains("romana.io/segment", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Path.EndsWith("namespaceSelector.matchLabels.team", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Path.EndsWith("ports[0].port", StringComparison.Ordinal) && e.Message.Contains("named ports", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Path.EndsWith("ports[1].protocol", StringComparison.Ordinal));
    }
}
