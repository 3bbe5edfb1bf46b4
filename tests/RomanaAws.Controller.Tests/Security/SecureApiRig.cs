using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using RomanaAws.Agent.Service;
using RomanaAws.Controller.Configuration;
using RomanaAws.Controller.Tests.Api;
using RomanaAws.Core.Persistence;
using RomanaAws.Core.Security;
using RomanaAws.KubeSim;

namespace RomanaAws.Controller.Tests.Security;

/// <summary>
/// A controller as the kops addon runs it: TLS with a certificate of its own CA, tokens verified by TokenReview against
/// the Kubernetes API stand-in (which issues real RS256 service-account tokens bound to agent pods on Nodes), on the EC2
/// simulator. Agents call it through the agent's own client (<see cref="ControllerHttp"/>, a token file, the CA bundle).
/// </summary>
internal sealed class SecureApiRig : IAsyncDisposable
{
    public const string ServiceName = "romana-aws-controller.romana-aws.svc";

    public const string Audience = "romana-aws-controller";

    /// <summary>Nodes of the simulator's cluster instances (sim-3zone.yaml), with their providerIDs.</summary>
    public static readonly (string Node, string Instance, string Zone)[] Nodes =
    [
        ("master-a", "i-0a000000000000001", "us-east-1a"),
        ("node-a1", "i-0a000000000000002", "us-east-1a"),
        ("node-b1", "i-0b000000000000001", "us-east-1b"),
    ];

    private SecureApiRig(ControllerFixture fixture, KubeSimulator kube, WebApplication app, Uri url, string directory, PemPair ca)
    {
        Fixture = fixture;
        Kube = kube;
        App = app;
        Url = url;
        Directory = directory;
        Ca = ca;
    }

    public ControllerFixture Fixture { get; }

    public KubeSimulator Kube { get; }

    public WebApplication App { get; }

    public Uri Url { get; }

    public string Directory { get; }

    public PemPair Ca { get; private set; }

    /// <summary>What the agents trust: the CA bundle file (the Secret's ca.crt).</summary>
    public string CaFile => Path.Combine(Directory, "ca.crt");

    public string CertFile => Path.Combine(Directory, "tls.crt");

    public string KeyFile => Path.Combine(Directory, "tls.key");

    public static async Task<SecureApiRig> StartAsync(params string[] settings)
    {
        var fixture = await ControllerFixture.StartAsync();
        var kube = await KubeSimulator.StartAsync(new KubeSimulatorOptions { Namespaces = ["default", "kube-system", "romana-aws"] });
        var directory = Path.GetDirectoryName(fixture.StatePath)!;
        foreach (var (node, instance, zone) in Nodes)
        {
            kube.Store.Create(KubeResource.Nodes, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = node }, ["spec"] = new JsonObject { ["providerID"] = $"aws:///{zone}/{instance}" } });
        }

        var ca = CertificateMaker.Authority("romana-aws test CA", DateTimeOffset.UtcNow.AddMinutes(-5), TimeSpan.FromDays(30));
        await File.WriteAllTextAsync(Path.Combine(directory, "ca.crt"), ca.Certificate);
        var serving = Serving(ca);
        await File.WriteAllTextAsync(Path.Combine(directory, "tls.crt"), serving.Certificate);
        await File.WriteAllTextAsync(Path.Combine(directory, "tls.key"), serving.Key);
        var kubeconfig = Path.Combine(directory, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, kube.Kubeconfig());
        var (app, port) = await HostStarter.StartAsync(Path.Combine(ControllerFixture.Scenarios, "controller.yaml"),
        [
            $"--controller:stateFile={fixture.StatePath}", $"--kubernetes:kubeconfig={kubeconfig}", "--metrics:enabled=false", "--api:auth=tokenreview",
            $"--api:tlsCertFile={Path.Combine(directory, "tls.crt")}", $"--api:tlsKeyFile={Path.Combine(directory, "tls.key")}", .. settings,
        ], new ControllerHostOptions { Ec2 = fixture.Api, LogFormat = "quiet" });
        var rig = new SecureApiRig(fixture, kube, app, new Uri($"https://127.0.0.1:{port}/"), directory, ca);

        // Ready once the controller knows the Nodes (their instances) and has registered the hosts.
        using var operatorClient = rig.Client(rig.OperatorToken());
        await Eventually.UntilAsync(async () => (await operatorClient.GetAsync($"v1/agents/{Nodes[0].Instance}")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "host of master-a registered");
        return rig;
    }

    /// <summary>A serving certificate of <paramref name="ca"/> for the Service name (what the agent checks) and loopback.</summary>
    public static PemPair Serving(PemPair ca) =>
        CertificateMaker.Serving(ca, [ServiceName], [IPAddress.Loopback], DateTimeOffset.UtcNow.AddMinutes(-5), TimeSpan.FromDays(7));

    /// <summary>The projected token of the agent pod on <paramref name="node"/> (the pod is created when first asked for).</summary>
    public string AgentToken(string node, TimeSpan? lifetime = null, DateTimeOffset? issuedAt = null, string audience = Audience)
    {
        var name = $"romana-aws-agent-{node}";
        JsonObject pod;
        try
        {
            pod = Kube.Store.Get(KubeResource.Pods, "romana-aws", name);
        }
        catch (KubeApiException)
        {
            pod = Kube.Store.Create(KubeResource.Pods, "romana-aws", new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = name },
                ["spec"] = new JsonObject { ["nodeName"] = node, ["serviceAccountName"] = "romana-aws-agent" },
            });
        }

        var nodeObject = Kube.Store.Get(KubeResource.Nodes, null, node);
        return Kube.Tokens.Issue("romana-aws", "romana-aws-agent", [audience], lifetime ?? TimeSpan.FromHours(1),
            new BoundPod(name, pod["metadata"]!["uid"]!.GetValue<string>(), node, nodeObject["metadata"]!["uid"]!.GetValue<string>()), issuedAt);
    }

    /// <summary>A user token in the romana-aws:operators group (what `kubectl create token` gives a bound operator).</summary>
    public string OperatorToken(string user = "alice", string group = "romana-aws:operators")
    {
        var token = $"operator-{user}-{group}";
        Kube.Tokens.AddUser(token, user, group);
        return token;
    }

    /// <summary>The agent's own client (token file, CA bundle, the Service name checked), on the rig's token file for <paramref name="name"/>.</summary>
    public (HttpClient Http, string TokenFile) Agent(string name, string token, string? caFile = null)
    {
        var tokenFile = Path.Combine(Directory, $"{name}.token");
        File.WriteAllText(tokenFile, token);
        var http = ControllerHttp.Create(new TokenFile(tokenFile, TimeProvider.System), new CaTrust(caFile ?? CaFile, TimeProvider.System, ServiceName), TimeSpan.FromSeconds(10));
        http.BaseAddress = Url;
        return (http, tokenFile);
    }

    /// <summary>A client trusting the rig's CA that sends <paramref name="token"/> as is (null: no Authorization header).</summary>
    public HttpClient Client(string? token)
    {
        var handler = new SocketsHttpHandler();
        new CaTrust(CaFile, TimeProvider.System, ServiceName).Apply(handler);
        var http = new HttpClient(handler) { BaseAddress = Url };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return http;
    }

    public async Task<IpamStateDocument> StateAsync() => (await new FileIpamStateStore(Fixture.StatePath).LoadAsync(CancellationToken.None))!;

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        await Kube.DisposeAsync();
        await Fixture.DisposeAsync();
    }
}
