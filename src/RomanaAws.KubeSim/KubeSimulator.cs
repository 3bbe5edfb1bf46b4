using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace RomanaAws.KubeSim;

/// <summary>
/// The running stand-in on loopback. <see cref="Store"/> is the state (tests seed and inspect it directly),
/// <see cref="DropWatches"/> cuts every open watch stream (as an API server restart or a load balancer would), and
/// <see cref="Requests"/> is what was asked, by RBAC verb and resource.
/// </summary>
public sealed class KubeSimulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly KubeApi _api;
    private readonly Lock _lock = new();
    private CancellationTokenSource _drop = new();

    private KubeSimulator(WebApplication app, KubeApi api, KubeStore store, ServiceAccountTokens tokens, Uri endpoint)
    {
        _app = app;
        _api = api;
        Store = store;
        Tokens = tokens;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    public KubeStore Store { get; }

    /// <summary>The token authority: issues service-account tokens (as TokenRequest does) and answers TokenReview.</summary>
    public ServiceAccountTokens Tokens { get; }

    public IReadOnlyList<KubeRequestRecord> Requests => _api.Requests;

    public static async Task<KubeSimulator> StartAsync(KubeSimulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new KubeSimulatorOptions();
        var store = new KubeStore(options.Time, options.HistoryLimit);
        foreach (var name in options.Namespaces)
        {
            store.Create(KubeResource.Namespaces, null, new System.Text.Json.Nodes.JsonObject { ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = name } });
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(options.BindAddress, options.Port));
        var app = builder.Build();
        KubeSimulator? simulator = null;
        var tokens = new ServiceAccountTokens(store, options.Time);
        var api = new KubeApi(store, options, () => simulator!.DropToken(), tokens);
        app.Run(api.HandleAsync);
        await app.StartAsync(cancellationToken);
        var url = new Uri(app.Urls.First().Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "[::1]", StringComparison.Ordinal) + "/");
        simulator = new KubeSimulator(app, api, store, tokens, url);
        return simulator;
    }

    /// <summary>Ends every open watch stream now (clients must resume from their last resourceVersion).</summary>
    public void DropWatches()
    {
        lock (_lock)
        {
            _drop.Cancel();
            _drop.Dispose();
            _drop = new CancellationTokenSource();
        }
    }

    /// <summary>
    /// A kubeconfig for this server (plain HTTP; a bearer token the stand-in does not check on its own API, because the
    /// official client refuses a user without credentials), for kubectl and the official client. Tokens are checked
    /// where the real server's would be for a webhook: in TokenReview (<see cref="Tokens"/>).
    /// </summary>
    public string Kubeconfig(string context = "kubesim") => $$"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: {{context}}
          cluster: { server: "{{Endpoint.ToString().TrimEnd('/')}}" }
        users:
        - name: {{context}}
          user: { token: kubesim }
        contexts:
        - name: {{context}}
          context: { cluster: {{context}}, user: {{context}} }
        current-context: {{context}}

        """;

    private CancellationToken DropToken()
    {
        lock (_lock)
        {
            return _drop.Token;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Stopping: every watch, open or opened from now on, ends at once (clients reconnect as soon as one is cut,
        // and Kestrel's graceful stop would wait for those).
        lock (_lock)
        {
            _drop.Cancel();
        }

        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(grace.Token);
        await _app.DisposeAsync();
        _drop.Dispose();
        Tokens.Dispose();
    }
}
