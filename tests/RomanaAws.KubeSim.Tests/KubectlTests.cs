using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using RomanaAws.Core.Labels;
using RomanaAws.Tests.Shared;
using Xunit.Abstractions;

namespace RomanaAws.KubeSim.Tests;

/// <summary>
/// The stand-in validated by an independent client: Debian's kubectl 1.20 (package kubernetes-client, extracted into
/// .tools/kubectl by scripts/test.sh) applies, gets, watches, labels and deletes against it, and what it reports
/// and what the store holds must agree. Skips with a reason when that kubectl is absent; fails under CI=true.
/// </summary>
public sealed class KubectlTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("romana-kubectl-").FullName;
    private KubeSimulator _sim = null!;

    private static string Kubectl => Environment.GetEnvironmentVariable("ROMANA_KUBECTL") ?? Path.Combine(Repo.Root, ".tools", "kubectl", "kubectl");

    public async Task InitializeAsync()
    {
        _sim = await KubeSimulator.StartAsync();
        await File.WriteAllTextAsync(Path.Combine(_directory, "kubeconfig"), _sim.Kubeconfig());
    }

    public async Task DisposeAsync()
    {
        await _sim.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private bool Present()
    {
        if (File.Exists(Kubectl))
        {
            return true;
        }

        Assert.False(Environment.GetEnvironmentVariable("CI") == "true", $"CI=true but kubectl 1.20 is not at {Kubectl} (scripts/test.sh extracts it)");
        output.WriteLine($"skipped: no kubectl at {Kubectl}");
        return false;
    }

    private ProcessStartInfo Start(params string[] args)
    {
        var info = new ProcessStartInfo(Kubectl) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "--kubeconfig", Path.Combine(_directory, "kubeconfig"), "--cache-dir", Path.Combine(_directory, "cache"), "--request-timeout", "20s" }.Concat(args))
        {
            info.ArgumentList.Add(arg);
        }

        return info;
    }

    private async Task<string> RunAsync(params string[] args)
    {
        using var process = Process.Start(Start(args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        var text = await stdout;
        output.WriteLine($"$ kubectl {string.Join(' ', args)}\n{text}{stderr}");
        Assert.True(process.ExitCode == 0, $"kubectl {string.Join(' ', args)} exited {process.ExitCode}: {stderr}");
        return text;
    }

    private async Task<string> FileAsync(string name, string yaml)
    {
        var path = Path.Combine(_directory, name);
        await File.WriteAllTextAsync(path, yaml);
        return path;
    }

    private const string Policy = """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: db-from-web, namespace: shop }
        spec:
          podSelector: { matchLabels: { app: db } }
          ingress:
            - from: [{ podSelector: { matchExpressions: [{ key: app, operator: In, values: [web] }] } }]
              ports: [{ port: 5432 }]
        """;

    [Fact]
    public async Task TokenReview_KubectlCreates_TheAnswerIsTheTokensUser_OrTheRefusal()
    {
        if (!Present())
        {
            return;
        }

        var token = _sim.Tokens.Issue("kube-system", "romana-aws-agent", ["romana-aws-controller"], TimeSpan.FromHours(1));
        async Task<JsonNode> ReviewAsync(string audience)
        {
            var file = await FileAsync($"review-{audience}.yaml", $"apiVersion: authentication.k8s.io/v1\nkind: TokenReview\nspec:\n  token: {token}\n  audiences: [{audience}]\n");
            return JsonNode.Parse(await RunAsync("create", "-f", file, "-o", "json"))!["status"]!;
        }

        var accepted = await ReviewAsync("romana-aws-controller");
        Assert.True(accepted["authenticated"]!.GetValue<bool>());
        Assert.Equal("system:serviceaccount:kube-system:romana-aws-agent", accepted["user"]!["username"]!.GetValue<string>());
        Assert.Contains("system:serviceaccounts:kube-system", accepted["user"]!["groups"]!.AsArray().Select(g => g!.GetValue<string>()));
        Assert.Equal(["romana-aws-controller"], accepted["audiences"]!.AsArray().Select(a => a!.GetValue<string>()));

        var refused = await ReviewAsync("someone-else");
        Assert.Null(refused["authenticated"]);
        Assert.Contains("is invalid for the target audiences", refused["error"]!.GetValue<string>(), StringComparison.Ordinal);

        // Reviews are answers, not objects: nothing to list.
        Assert.DoesNotContain(_sim.Requests, r => r.Resource == "tokenreviews" && r.Verb != "create");
    }

    [Fact]
    public async Task Kubectl_AppliesGetsWatchesLabelsAndDeletes()
    {
        if (!Present())
        {
            return;
        }

        Assert.Contains("namespace/shop created", await RunAsync("create", "namespace", "shop"), StringComparison.Ordinal);
        var file = await FileAsync("np.yaml", Policy);
        Assert.Contains("networkpolicy.networking.k8s.io/db-from-web created", await RunAsync("apply", "-f", file), StringComparison.Ordinal);
        Assert.Contains("unchanged", await RunAsync("apply", "-f", file), StringComparison.Ordinal);
        await File.WriteAllTextAsync(file, Policy.Replace("5432", "5433", StringComparison.Ordinal));
        Assert.Contains("configured", await RunAsync("apply", "-f", file), StringComparison.Ordinal);
        var stored = _sim.Store.Get(KubeResource.NetworkPolicies, "shop", "db-from-web");
        Assert.Equal(5433, stored["spec"]!["ingress"]![0]!["ports"]![0]!["port"]!.GetValue<int>());
        Assert.Equal(2, stored["metadata"]!["generation"]!.GetValue<long>());

        using (var listed = JsonDocument.Parse(await RunAsync("get", "networkpolicies", "-n", "shop", "-o", "json")))
        {
            var item = Assert.Single(listed.RootElement.GetProperty("items").EnumerateArray());
            Assert.Equal("In", item.GetProperty("spec").GetProperty("ingress")[0].GetProperty("from")[0].GetProperty("podSelector").GetProperty("matchExpressions")[0].GetProperty("operator").GetString());
        }

        // get --watch prints a pod created after it started, as the watch stream delivers it.
        using var watch = Process.Start(Start("get", "pods", "-n", "shop", "--watch", "-o", "name"))!;
        await Task.Delay(TimeSpan.FromSeconds(2), TimeProvider.System);
        _sim.Store.Create(KubeResource.Pods, "shop", JsonNode.Parse("""{ "metadata": { "name": "web-1", "labels": { "app": "web" } }, "spec": { "containers": [{ "name": "c", "image": "busybox" }] } }""")!.AsObject());
        var line = await watch.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        watch.Kill();
        Assert.Equal("pod/web-1", line);

        Assert.Contains("pod/web-1 labeled", await RunAsync("label", "pod", "web-1", "-n", "shop", "tier=front"), StringComparison.Ordinal);
        Assert.Equal("front", _sim.Store.Get(KubeResource.Pods, "shop", "web-1")["metadata"]!["labels"]!["tier"]!.GetValue<string>());
        Assert.Contains("pod/web-1 labeled", await RunAsync("label", "pod", "web-1", "-n", "shop", "tier-"), StringComparison.Ordinal);
        Assert.Null(_sim.Store.Get(KubeResource.Pods, "shop", "web-1")["metadata"]!["labels"]!["tier"]);
        Assert.Contains("web-1", await RunAsync("get", "pods", "-n", "shop", "-l", "app in (web,api)", "-o", "name"), StringComparison.Ordinal);

        // delete waits for the object to be gone (a field-selector list, then a watch): it must return.
        Assert.Contains("deleted", await RunAsync("delete", "-f", file), StringComparison.Ordinal);
        Assert.Empty(_sim.Store.List(KubeResource.NetworkPolicies, "shop", LabelSelector.Everything, FieldSelector.Everything).Items);
        Assert.Contains("\"web-1\" deleted", await RunAsync("delete", "pod", "web-1", "-n", "shop"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kubectl_ReportsTheServersErrors()
    {
        if (!Present())
        {
            return;
        }

        var file = await FileAsync("np.yaml", Policy);
        using var process = Process.Start(Start("apply", "-f", file))!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains("namespaces \"shop\" not found", stderr, StringComparison.Ordinal);
    }
}
