using k8s;
using k8s.Autorest;
using k8s.Models;

namespace RomanaAws.KubeSim.Tests;

/// <summary>The stand-in through the official C# client (KubernetesClient): lists, watches, patches, errors.</summary>
public sealed class ClientTests : IAsyncLifetime, IDisposable
{
    private KubeSimulator _sim = null!;
    private Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _sim = await KubeSimulator.StartAsync(new KubeSimulatorOptions { BookmarkInterval = TimeSpan.FromMilliseconds(300) });
        _client = new Kubernetes(new KubernetesClientConfiguration { Host = _sim.Endpoint.ToString() });
        await _client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "shop", Labels = new Dictionary<string, string> { ["team"] = "a" } } });
    }

    public async Task DisposeAsync() => await _sim.DisposeAsync();

    public void Dispose() => _client.Dispose();

    private Task<V1Pod> PodAsync(string name, string app) => _client.CoreV1.CreateNamespacedPodAsync(
        new V1Pod { Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = app } }, Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox" }] } }, "shop");

    [Fact]
    public async Task ListThenWatch_FromTheListsVersion_SeesOnlyLaterChanges_WithSelectorTransitions()
    {
        await PodAsync("a", "web");
        var list = await _client.CoreV1.ListNamespacedPodAsync("shop", labelSelector: "app=web");
        Assert.Equal(["a"], list.Items.Select(p => p.Metadata.Name));
        var namespaceLabel = (await _client.CoreV1.ReadNamespaceAsync("shop")).Metadata.Labels["kubernetes.io/metadata.name"];
        Assert.Equal("shop", namespaceLabel);

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var events = new List<(WatchEventType Type, string Name, string App)>();
        var watching = Task.Run(async () =>
        {
            await foreach (var (type, pod) in _client.CoreV1.WatchListNamespacedPodAsync("shop", labelSelector: "app=web", resourceVersion: list.Metadata.ResourceVersion, cancellationToken: stop.Token))
            {
                events.Add((type, pod.Metadata.Name, pod.Metadata.Labels["app"]));
                if (events.Count == 3)
                {
                    return;
                }
            }
        });
        await PodAsync("b", "web");
        await PodAsync("c", "db");
        var patch = new V1Patch("""{"metadata":{"labels":{"app":"db"}}}""", V1Patch.PatchType.MergePatch);
        await _client.CoreV1.PatchNamespacedPodAsync(patch, "a", "shop");
        await _client.CoreV1.PatchNamespacedPodAsync(new V1Patch("""{"metadata":{"labels":{"app":"web"}}}""", V1Patch.PatchType.MergePatch), "c", "shop");
        await watching.WaitAsync(stop.Token);
        Assert.Equal([(WatchEventType.Added, "b", "web"), (WatchEventType.Deleted, "a", "web"), (WatchEventType.Added, "c", "web")], events);
    }

    [Fact]
    public async Task Watch_FromACompactedVersion_Gets410Expired_AndBookmarksWhenAllowed()
    {
        var old = (await _client.CoreV1.ListNamespacedPodAsync("shop")).Metadata.ResourceVersion;
        await PodAsync("a", "web");
        _sim.Store.Compact();
        var errors = new List<Exception>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await foreach (var _ in _client.CoreV1.WatchListNamespacedPodAsync("shop", resourceVersion: old, onError: errors.Add, cancellationToken: stop.Token))
        {
            Assert.Fail("no event may arrive from an expired version");
        }

        var expired = Assert.IsType<KubernetesException>(Assert.Single(errors));
        Assert.Equal((410, "Expired"), (expired.Status.Code, expired.Status.Reason));

        var now = (await _client.CoreV1.ListNamespacedPodAsync("shop")).Metadata.ResourceVersion;
        await foreach (var (type, pod) in _client.CoreV1.WatchListNamespacedPodAsync("shop", resourceVersion: now, allowWatchBookmarks: true, cancellationToken: stop.Token))
        {
            Assert.Equal(WatchEventType.Bookmark, type);
            Assert.Equal(now, pod.Metadata.ResourceVersion);
            break;
        }
    }

    [Fact]
    public async Task PatchNodeStatus_MergesConditionsByType_MainResourceIgnoresStatus()
    {
        await _client.CoreV1.CreateNodeAsync(new V1Node
        {
            Metadata = new V1ObjectMeta { Name = "node-1" },
            Spec = new V1NodeSpec { ProviderID = "aws:///us-east-1a/i-0123456789abcdef0" },
            Status = new V1NodeStatus { Conditions = [new V1NodeCondition { Type = "Ready", Status = "True" }] },
        });
        var patch = """{"status":{"conditions":[{"type":"NetworkUnavailable","status":"False","reason":"RouteCreated","message":"RouteController created a route"}]}}""";
        await _client.CoreV1.PatchNodeStatusAsync(new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), "node-1");
        var node = await _client.CoreV1.ReadNodeAsync("node-1");
        Assert.Equal(["Ready:True", "NetworkUnavailable:False"], node.Status.Conditions.Select(c => $"{c.Type}:{c.Status}"));
        await _client.CoreV1.PatchNodeAsync(new V1Patch("""{"status":{"conditions":null}}""", V1Patch.PatchType.MergePatch), "node-1");
        Assert.Equal(2, (await _client.CoreV1.ReadNodeAsync("node-1")).Status.Conditions.Count);
    }

    [Fact]
    public async Task Errors_AreStatusObjects_ListsPage_NoOpWritesBumpNothing()
    {
        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.ReadNamespacedPodAsync("nope", "shop"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.Response.StatusCode);
        Assert.Equal("pods \"nope\" not found", System.Text.Json.JsonDocument.Parse(missing.Response.Content).RootElement.GetProperty("message").GetString());
        var conflict = await Assert.ThrowsAsync<HttpOperationException>(() => PodAsync("nope", "x").ContinueWith(_ => PodAsync("nope", "x")).Unwrap());
        Assert.Equal(System.Net.HttpStatusCode.Conflict, conflict.Response.StatusCode);
        var bad = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.ListNamespacedPodAsync("shop", fieldSelector: "spec.color=red"));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.Response.StatusCode);

        for (var i = 0; i < 5; i++)
        {
            await PodAsync($"p{i}", "web");
        }

        var first = await _client.CoreV1.ListNamespacedPodAsync("shop", limit: 4);
        var rest = await _client.CoreV1.ListNamespacedPodAsync("shop", limit: 4, continueParameter: first.Metadata.ContinueProperty);
        Assert.Equal(["nope", "p0", "p1", "p2", "p3", "p4"], first.Items.Concat(rest.Items).Select(p => p.Metadata.Name));
        Assert.Null(rest.Metadata.ContinueProperty);
        Assert.Single(await _client.CoreV1.ListNamespacedPodAsync("shop", fieldSelector: "metadata.name=p3") is { } one ? one.Items : []);

        var before = _sim.Store.Revision;
        await _client.CoreV1.PatchNamespacedPodAsync(new V1Patch("{}", V1Patch.PatchType.MergePatch), "p0", "shop");
        Assert.Equal(before, _sim.Store.Revision);
        Assert.Equal("Pending", (await _client.CoreV1.ReadNamespacedPodAsync("p0", "shop")).Status.Phase);
    }
}
