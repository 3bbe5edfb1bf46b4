using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using RomanaAws.Agent.Kubernetes;
using RomanaAws.KubeSim;
using RomanaAws.Tests.Shared;

namespace RomanaAws.Cli.Tests.Deployment;

/// <summary>
/// RBAC in the kops addon is exactly what the code calls: each program's Kubernetes code runs against the API stand-in
/// through every call it can make, and the set of (API group, resource, verb) the stand-in served must equal what the
/// ClusterRoles bound to that program's service account grant. A new call without a grant fails here, and so does a
/// grant nothing uses. The controller's half is in its Node controller test (tests/RomanaAws.Controller.Tests/Kubernetes).
/// </summary>
public sealed class RbacParityTests
{
    [Fact]
    public async Task Agent_GrantedExactlyWhatItCalls()
    {
        await using var sim = await KubeSimulator.StartAsync();
        using var client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = sim.Endpoint.ToString() });
        sim.Store.Create(KubeResource.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "shop" } });

        // Every call the agent makes: the three informers (list, watch) and the CNI ADD's pod read (get).
        var source = new KubernetesPolicySource(client, _ => Task.CompletedTask, TimeProvider.System, TimeSpan.FromMinutes(5));
        using var stop = new CancellationTokenSource();
        var run = source.RunAsync(stop.Token);
        await source.Synced.WaitAsync(TimeSpan.FromSeconds(20));
        sim.Store.Create(KubeResource.Pods, "shop", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "p" }, ["spec"] = new JsonObject() });
        await source.Changed.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.NotNull((await new PodOwnerLookup(client, cache: null).ResolveAsync("shop", "p", CancellationToken.None)).Owner);
        await stop.CancelAsync();
        await run;

        var called = sim.Requests.Where(r => r.Status is >= 200 and < 300).Select(r => $"{r.Group}/{r.Resource}:{r.Verb}").ToHashSet();
        Assert.Equal((await KopsRbac.GrantedAsync("romana-aws-agent")).Order(), called.Order());
    }
}
