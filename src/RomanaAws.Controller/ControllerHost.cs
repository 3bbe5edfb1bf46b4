using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Amazon.EC2;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RomanaAws.Aws.CloudWatch;
using RomanaAws.Aws.Ec2;
using RomanaAws.Controller.Health;
using RomanaAws.Controller.Metrics;
using RomanaAws.Core.Health;
using RomanaAws.Core.Leadership;
using RomanaAws.Controller.Api;
using RomanaAws.Controller.Configuration;
using RomanaAws.Controller.Kubernetes;
using RomanaAws.Controller.Reconcile;
using RomanaAws.Controller.Replication;
using RomanaAws.Controller.Security;
using RomanaAws.Controller.Status;
using RomanaAws.Core.Persistence;
using RomanaAws.Etcd;
using Serilog;
using Serilog.Formatting.Compact;

namespace RomanaAws.Controller;

/// <summary>How the controller process logs and, for tests and the demo, what it talks to.</summary>
public sealed record ControllerHostOptions
{
    /// <summary>"text" (human-readable console), "json" (JSON lines) or "quiet" (errors only, for the demo's own narrative).</summary>
    public string LogFormat { get; init; } = "text";

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>An EC2 seam to use instead of one built from the <c>aws:</c> section (tests).</summary>
    public IEc2Api? Ec2 { get; init; }

    /// <summary>Extra log sink (tests, the demo); null for none.</summary>
    public ILoggerProvider? ExtraLogger { get; init; }

    /// <summary>Where probes go; null for each instance's private IP and the agent port (production).</summary>
    public ProbeTargets? ProbeTargets { get; init; }

    /// <summary>A CloudWatch client to use instead of one built from the <c>aws:</c> section (tests, the demo).</summary>
    public CloudWatchQueryClient? CloudWatch { get; init; }
}

/// <summary>
/// Composes the controller: Generic Host via ASP.NET Core (for the small HTTP API), options bound from the
/// configuration file + environment + command line and validated at start (every error at once), Serilog at the
/// host only, the EC2 seam, the state store, the reconcile loop.
/// </summary>
public static class ControllerHost
{
    private static readonly Action<Microsoft.Extensions.Logging.ILogger, string, Exception?> LogKubernetes =
        LoggerMessage.Define<string>(LogLevel.Information, new EventId(1, "Kubernetes"), "Kubernetes API: {Kubernetes}");

    public static WebApplication Build(ControllerConfig config, ControllerHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddConfiguration(config.Configuration);
        builder.Services.AddSerilog(logger => Logging(logger, options.LogFormat));
        if (options.ExtraLogger is { } extra)
        {
            builder.Logging.AddProvider(extra);
        }

        // Settings were read and checked when the config loaded (ControllerConfig.Load: every problem at once).
        builder.Services.AddSingleton(config.Controller);
        builder.Services.AddSingleton(config.Aws);
        builder.Services.Configure<JsonOptions>(o => Json(o.SerializerOptions));
        var settings = config.Controller;
        var listen = IPEndPoint.TryParse(settings.Listen, out var endpoint) ? endpoint : new IPEndPoint(IPAddress.Loopback, 9610);
        var api = config.Api;
        var serving = api.ServesTls ? new ServingCertificate(api.TlsCertFile!, api.TlsKeyFile!, options.Time) : null;
        // The pair was loaded once when the config loaded (ApiSettings.Validate: a bad one is a config error naming both files).
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = api.MaxBodyBytes;
            k.Listen(listen, o =>
            {
                if (serving is not null)
                {
                    o.UseHttps(h => h.ServerCertificateSelector = (_, _) => serving.Current);
                }
            });
        });

        builder.Services.AddSingleton(options.Time);
        builder.Services.AddSingleton(config.Topology);
        builder.Services.AddSingleton(sp => options.Ec2 ?? CreateEc2(sp.GetRequiredService<AwsSettings>(), options.Time, sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<IWriteFence>()));
        AddState(builder, config, options, listen);
        builder.Services.AddSingleton<ControllerStatus>();
        var health = config.Health;
        var metrics = config.Metrics;
        builder.Services.AddSingleton(health);
        builder.Services.AddSingleton(metrics);
        builder.Services.AddSingleton<HealthBook>();
        builder.Services.AddSingleton(options.ProbeTargets ?? ProbeTargets.For(health, config.Aws));
        builder.Services.AddSingleton(sp => new Reconciler(
            sp.GetRequiredService<IEc2Api>(), config.Topology, sp.GetRequiredService<ControllerSettings>(), sp.GetRequiredService<IIpamStateStore>(), options.Time, sp.GetRequiredService<ILoggerFactory>(),
            HealthChecked(sp.GetRequiredService<HealthBook>(), health) with { Nodes = sp.GetService<NodeFactsSource>(), Fence = sp.GetRequiredService<IWriteFence>() }));
        builder.Services.AddSingleton(sp => new ReconcileLoop(
            sp.GetRequiredService<Reconciler>(), sp.GetRequiredService<ControllerStatus>(), options.Time,
            TimeSpan.FromSeconds(sp.GetRequiredService<ControllerSettings>().ResyncSeconds), sp.GetRequiredService<ILogger<ReconcileLoop>>(), sp.GetRequiredService<IReplica>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ReconcileLoop>());
        // Routing modes bgp and ospf: the routers withdraw a dead host (no health checks, no failover here), no VPC
        // route is written (no CloudWatch alarm to feed), and a Node's name is its host's id.
        var advertised = config.Topology.Routing.Advertised;
        if (health.Probes.Count > 0 && !advertised)
        {
            builder.Services.AddSingleton(sp => new HealthMonitor(
                sp.GetRequiredService<Reconciler>(), sp.GetRequiredService<ReconcileLoop>(), sp.GetRequiredService<HealthBook>(), sp.GetRequiredService<IEc2Api>(),
                sp.GetRequiredService<ProbeTargets>(), health, options.Time, sp.GetRequiredService<ILogger<HealthMonitor>>()));
            builder.Services.AddHostedService(sp => sp.GetRequiredService<HealthMonitor>());
        }

        var (kubernetes, kubernetesHow) = KubernetesConnection.Resolve(config.Kubernetes);
        if (kubernetes is not null)
        {
            builder.Services.AddSingleton<k8s.IKubernetes>(_ => new k8s.Kubernetes(kubernetes));
            builder.Services.AddSingleton<NodeFactsSource>();
            builder.Services.AddSingleton(sp => new NodeController(
                sp.GetRequiredService<k8s.IKubernetes>(), sp.GetRequiredService<Reconciler>(), sp.GetRequiredService<ReconcileLoop>(), sp.GetRequiredService<ControllerStatus>(),
                sp.GetRequiredService<NodeFactsSource>(), TimeSpan.FromSeconds(config.Kubernetes.ResyncSeconds), options.Time, sp.GetRequiredService<ILogger<NodeController>>()));
            builder.Services.AddHostedService(sp => sp.GetRequiredService<NodeController>());
        }

        builder.Services.AddSingleton(sp => new ApiGuard(api, api.Authenticates(listen) ? Reviewer(sp, api, options.Time) : null, node => advertised ? node : InstanceOf(sp.GetService<NodeFactsSource>(), node), options.Time, sp.GetRequiredService<ILogger<ApiGuard>>()));

        if (metrics.Enabled && !advertised)
        {
            builder.Services.AddSingleton(sp => options.CloudWatch ?? CreateCloudWatch(sp.GetRequiredService<AwsSettings>()));
            builder.Services.AddSingleton(sp => new MetricsPublisher(
                sp.GetRequiredService<CloudWatchQueryClient>(), sp.GetRequiredService<ControllerStatus>(), sp.GetRequiredService<Reconciler>(), sp.GetRequiredService<HealthBook>(),
                metrics, config.Topology.Cluster, options.Time, sp.GetRequiredService<ILogger<MetricsPublisher>>()));
            builder.Services.AddHostedService(sp => sp.GetRequiredService<MetricsPublisher>());
        }

        var app = builder.Build();
        var reconciler = app.Services.GetRequiredService<Reconciler>();
        var book = app.Services.GetRequiredService<HealthBook>();
        LogKubernetes(app.Logger, kubernetesHow, null);
        if (app.Services.GetService<NodeController>() is { } nodes)
        {
            book.StateChanged += id => nodes.Trigger($"health of {id}");
        }

        var guard = app.Services.GetRequiredService<ApiGuard>();
        app.Use(guard.InvokeAsync);
        if (app.Services.GetRequiredService<IReplica>() is EtcdReplica replica)
        {
            LeaderForwarding.Use(app, replica, app.Services.GetRequiredService<IHttpClientFactory>().CreateClient("leader"));
        }

        ControllerApi.Map(app, app.Services.GetRequiredService<ControllerStatus>(), app.Services.GetRequiredService<ReconcileLoop>(), config.Topology.Cluster,
            TimeSpan.FromSeconds(settings.ResyncSeconds), options.Time, () => reconciler.CurrentTargets.Count(t => book.Get(t) is { State: not Core.Routing.TargetHealth.Healthy }), reconciler);
        return app;
    }

    private static CachedTokenReviewer Reviewer(IServiceProvider services, ApiSettings api, TimeProvider time) =>
        new(new KubernetesTokenReviewer(services.GetService<k8s.IKubernetes>() ?? throw new InvalidOperationException("api.auth verifies tokens but no Kubernetes API is configured"), api.Audience),
            time, TimeSpan.FromSeconds(api.TokenCacheSeconds));

    /// <summary>The instance of the Node named <paramref name="node"/>, from its providerID; null when no such Node was seen.</summary>
    private static string? InstanceOf(NodeFactsSource? nodes, string node) =>
        nodes?.Current?.ByInstance.Values.FirstOrDefault(r => string.Equals(r.Node.Name, node, StringComparison.Ordinal))?.Provider.InstanceId;

    /// <summary>
    /// The state store and this replica's part: the file store, one replica and a fence that always allows, or etcd
    /// with leader election (the store's writes fenced by the leader key, the reconciler's EC2 writes and saves by a
    /// <see cref="LeaseWriteFence"/> over the election's lease clock, a watch keeping a standby warm).
    /// </summary>
    private static void AddState(WebApplicationBuilder builder, ControllerConfig config, ControllerHostOptions options, IPEndPoint listen)
    {
        if (config.Controller.StateBackend != "etcd")
        {
            builder.Services.AddSingleton<IIpamStateStore>(sp => new FileIpamStateStore(sp.GetRequiredService<ControllerSettings>().StateFile));
            builder.Services.AddSingleton<IReplica, SingleReplica>();
            builder.Services.AddSingleton<IWriteFence>(OpenWriteFence.Instance);
            return;
        }

        var holder = ReplicaIdentity.For(config.Controller.Advertise, listen, config.Api.ServesTls);
        var leaderClient = builder.Services.AddHttpClient("leader", c => c.Timeout = TimeSpan.FromSeconds(10));
        if (config.Api.TlsCaFile is { } ca)
        {
            // Replicas are reached at their pod IPs, which no certificate names: api.tlsServerName is the name to check.
            var trust = new Core.Security.CaTrust(ca, options.Time, config.Api.TlsServerName);
            leaderClient.ConfigurePrimaryHttpMessageHandler(() =>
            {
                var handler = new SocketsHttpHandler();
                trust.Apply(handler);
                return handler;
            });
        }
        builder.Services.AddSingleton(_ => new EtcdConnection(EtcdOptionsFor(config), options.Time));
        builder.Services.AddSingleton(sp => new LeaderElection(sp.GetRequiredService<EtcdConnection>(), holder.Id, holder.ToJson(), options.Time, sp.GetRequiredService<ILoggerFactory>().CreateLogger<LeaderElection>()));
        builder.Services.AddSingleton<IReplica>(sp => new EtcdReplica(sp.GetRequiredService<LeaderElection>(), holder.Id));
        builder.Services.AddSingleton<IWriteFence>(sp => new LeaseWriteFence(sp.GetRequiredService<LeaderElection>()));
        builder.Services.AddSingleton(sp => new EtcdIpamStateStore(sp.GetRequiredService<EtcdConnection>(), sp.GetRequiredService<LeaderElection>(), holder.Id));
        builder.Services.AddSingleton<IIpamStateStore>(sp => sp.GetRequiredService<EtcdIpamStateStore>());
        builder.Services.AddHostedService(sp => new ElectionService(
            sp.GetRequiredService<LeaderElection>(), new StateWatch(sp.GetRequiredService<EtcdConnection>(), options.Time),
            () => sp.GetRequiredService<EtcdIpamStateStore>().Revision, () => sp.GetRequiredService<ReconcileLoop>().Trigger("state changed in etcd")));
    }

    public static EtcdOptions EtcdOptionsFor(ControllerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var etcd = config.Etcd;
        return new EtcdOptions
        {
            Endpoints = etcd.Endpoints.Select(e => new Uri(e)).ToList(),
            Prefix = etcd.Prefix ?? EtcdOptions.DefaultPrefix(config.Topology.Cluster),
            CaFile = etcd.CaFile,
            CertFile = etcd.CertFile,
            KeyFile = etcd.KeyFile,
            LeaseSeconds = etcd.LeaseSeconds,
            MaxTxnOps = etcd.MaxTxnOps,
            CallTimeout = TimeSpan.FromSeconds(etcd.CallTimeoutSeconds),
        };
    }

    /// <summary>One full reconcile without the host (<c>romana-aws controller --once</c>).</summary>
    public static async Task<ReconcileResult> RunOnceAsync(ControllerConfig config, ControllerHostOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        using var loggers = LoggerFactory.Create(b =>
        {
            b.AddSerilog(Logging(new LoggerConfiguration(), options.LogFormat).CreateLogger(), dispose: true);
            if (options.ExtraLogger is { } extra)
            {
                b.AddProvider(extra);
            }
        });
        var ec2 = options.Ec2 ?? CreateEc2(config.Aws, options.Time, loggers);
        try
        {
            using var reconciler = new Reconciler(ec2, config.Topology, config.Controller, new FileIpamStateStore(config.Controller.StateFile), options.Time, loggers);
            return await reconciler.ReconcileAsync(cancellationToken);
        }
        finally
        {
            if (options.Ec2 is null)
            {
                (ec2 as IDisposable)?.Dispose();
            }
        }
    }

    /// <summary>The reconciler's health verdicts and flap damping from the health book and the <c>health:</c> settings.</summary>
    public static ReconcilerDependencies HealthChecked(HealthBook book, HealthCheckSettings health)
    {
        ArgumentNullException.ThrowIfNull(book);
        ArgumentNullException.ThrowIfNull(health);
        return new ReconcilerDependencies
        {
            Health = book.Of,
            HealthDetail = book.Get,
            Damper = new FailoverDamper(TimeSpan.FromSeconds(health.HoldSeconds), health.MaxFailovers, TimeSpan.FromSeconds(health.WindowSeconds)),
        };
    }

    public static CloudWatchQueryClient CreateCloudWatch(AwsSettings aws)
    {
        ArgumentNullException.ThrowIfNull(aws);
        var options = aws.ToOptions();
        var region = options.Region ?? Amazon.Runtime.FallbackRegionFactory.GetRegionEndpoint()?.SystemName ?? "us-east-1";
        return new CloudWatchQueryClient(new CloudWatchClientOptions { Region = region, ServiceUrl = options.CloudWatchServiceUrl, Timeout = options.CallTimeout });
    }

    /// <param name="fence">The controller's write fence, asked before every attempt of a mutating call; null for the CLI (one writer).</param>
    public static IEc2Api CreateEc2(AwsSettings aws, TimeProvider time, ILoggerFactory loggers, IWriteFence? fence = null)
    {
        ArgumentNullException.ThrowIfNull(aws);
        ArgumentNullException.ThrowIfNull(loggers);
        var options = aws.ToOptions();
        return new Ec2Api(Ec2ClientFactory.Create(options), options, time, loggers.CreateLogger<Ec2Api>(), fence);
    }

    public static void Json(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.WriteIndented = true;
    }

    private static LoggerConfiguration Logging(LoggerConfiguration logger, string format)
    {
        logger.MinimumLevel.Is(format == "quiet" ? Serilog.Events.LogEventLevel.Error : Serilog.Events.LogEventLevel.Information)
            .MinimumLevel.Override("Microsoft", Serilog.Events.LogEventLevel.Warning)
            .MinimumLevel.Override("System", Serilog.Events.LogEventLevel.Warning)
            .Enrich.FromLogContext()
            // "Hosting failed to start" for a taken listen address: the CLI reports it in one line naming the setting.
            .Filter.ByExcluding(e => e.Exception is IOException { InnerException: { } inner } && inner.GetType().Name == "AddressInUseException");
        return format == "json"
            ? logger.WriteTo.Console(new CompactJsonFormatter())
            : logger.WriteTo.Console(outputTemplate: "{Timestamp:HH:mm:ss} {Level:u3} {Message:lj}{NewLine}{Exception}");
    }
}
