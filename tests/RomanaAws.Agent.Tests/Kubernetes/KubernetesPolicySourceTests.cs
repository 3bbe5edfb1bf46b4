using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using RomanaAws.Agent.Kubernetes;
using RomanaAws.KubeSim;

namespace RomanaAws.Agent.Tests.Kubernetes;

/// <summary>
/// The agent's watches against the API stand-in through the official client: changes arrive; a dropped watch resumes
/// from its version without listing again; a version the server no longer has (410 Expired) lists again; an API that
/// is down is retried with backoff while the cache keeps serving.
/// </summary>
public sealed class KubernetesPolicySourceTests : IAsyncLifetime, IDisposable
{
    private readonly ConcurrentQueue<string> _reports = new();
    private KubeSimulator _sim = null!;
    private k8s.Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _sim = await KubeSimulator.StartAsync();
        _client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = _sim.Endpoint.ToString() });
        await _client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "shop" } });
    }

    public async Task DisposeAsync() => await _sim.DisposeAsync();

    public void Dispose() => _client.Dispose();

    private KubernetesPolicySource Source(TimeSpan? resync = null) =>
        new(_client, r => { _reports.Enqueue(r); return Task.CompletedTask; }, TimeProvider.System, resync ?? TimeSpan.FromMinutes(5));

    private Task<V1Pod> PodAsync(string name, string app) => _client.CoreV1.CreateNamespacedPodAsync(
        new V1Pod { Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = app } }, Spec = new V1PodSpec { Containers = [new V1Container { Name = "c" }] } }, "shop");

    private static async Task<bool> UntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100; i++)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
        }

        return false;
    }

    [Fact]
    public async Task Changes_Arrive_DroppedWatchResumes_ExpiredVersionRelists()
    {
        await PodAsync("a", "web");
        var source = Source();
        using var stop = new CancellationTokenSource();
        var run = source.RunAsync(stop.Token);
        await source.Synced.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["a"], source.Pods.Items.Select(p => p.Metadata.Name));
        var changed = source.Changed;

        await PodAsync("b", "web");
        await changed.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(await UntilAsync(() => source.Pods.Items.Count == 2));

        // A dropped stream (API server restart, load balancer): resumed from the last version, no relist, nothing lost.
        _sim.DropWatches();
        await PodAsync("c", "db");
        await _client.CoreV1.PatchNamespacedPodAsync(new V1Patch("""{"metadata":{"labels":{"app":"api"}}}""", V1Patch.PatchType.MergePatch), "a", "shop");
        Assert.True(await UntilAsync(() => source.Pods.Items.Count == 3 && source.Pods.Get("shop", "a")?.Metadata.Labels["app"] == "api"), "the resumed watch missed a change");
        Assert.Equal(1, source.Pods.Lists);

        // History compacted past the informer's version (writes it does not watch moved the revision on): the watch
        // gets 410 Expired and lists again.
        await _client.CoreV1.DeleteNamespacedPodAsync("b", "shop");
        Assert.True(await UntilAsync(() => source.Pods.Items.Count == 2));
        await _client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "other" } });
        _sim.Store.Compact();
        _sim.DropWatches();
        Assert.True(await UntilAsync(() => source.Pods.Lists >= 2), $"no relist after 410; reports: {string.Join(" | ", _reports)}");
        Assert.True(await UntilAsync(() => source.Pods.Items.Select(p => p.Metadata.Name).Order().SequenceEqual(["a", "c"])));
        Assert.Contains(_reports, r => r.Contains("expired (410)", StringComparison.Ordinal));

        Assert.True(await UntilAsync(() => source.Namespaces.Get(null, "other") is not null), "the namespaces informer never saw the new namespace");
        var inputs = source.Read();
        Assert.Empty(inputs.Policies);
        Assert.Equal(["default", "kube-system", "other", "shop"], inputs.Cluster.Namespaces.Select(n => n.Name).Order());
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task ApiDown_RetriedWithBackoff_CacheKeepsServing_InvalidPolicyLeftOutAndReported()
    {
        await _client.NetworkingV1.CreateNamespacedNetworkPolicyAsync(new V1NetworkPolicy
        {
            Metadata = new V1ObjectMeta { Name = "good" },
            Spec = new V1NetworkPolicySpec { PodSelector = new V1LabelSelector(), PolicyTypes = ["Ingress"] },
        }, "shop");
        await _client.NetworkingV1.CreateNamespacedNetworkPolicyAsync(new V1NetworkPolicy
        {
            Metadata = new V1ObjectMeta { Name = "newer-api" },
            Spec = new V1NetworkPolicySpec { PodSelector = new V1LabelSelector(), Ingress = [new V1NetworkPolicyIngressRule { Ports = [new V1NetworkPolicyPort { Protocol = "QUIC" }] }] },
        }, "shop");
        var source = Source();
        using var stop = new CancellationTokenSource();
        var run = source.RunAsync(stop.Token);
        await source.Synced.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["good"], source.Read().Policies.Select(p => p.Name));
        Assert.Contains(_reports, r => r.Contains("shop/newer-api left out", StringComparison.Ordinal) && r.Contains("QUIC", StringComparison.Ordinal));

        await _sim.DisposeAsync();
        Assert.True(await UntilAsync(() => _reports.Any(r => r.Contains("retrying in", StringComparison.Ordinal))), $"no retry reported: {string.Join(" | ", _reports)}");
        Assert.Equal(["good"], source.Read().Policies.Select(p => p.Name));
        await stop.CancelAsync();
        await run;
        _sim = await KubeSimulator.StartAsync();
    }
}
