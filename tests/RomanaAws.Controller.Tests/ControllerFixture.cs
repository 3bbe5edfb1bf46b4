using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using Microsoft.Extensions.Logging.Abstractions;
using RomanaAws.Aws;
using RomanaAws.Aws.Ec2;
using RomanaAws.Controller.Configuration;
using RomanaAws.Controller.Reconcile;
using RomanaAws.Core.Persistence;
using RomanaAws.Core.Topology;
using RomanaAws.VpcSim;
using RomanaAws.VpcSim.Scenario;

namespace RomanaAws.Controller.Tests;

/// <summary>The shipped 3-zone scenario in a simulator, the shipped controller topology, and a reconciler over the real SDK.</summary>
internal sealed class ControllerFixture : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("romana-controller-").FullName;

    private ControllerFixture(VpcSimulator simulator, TopologyConfig topology, ControllerSettings settings, AwsOptions aws)
    {
        Simulator = simulator;
        Topology = topology;
        Settings = settings;
        settings.StateFile = Path.Combine(_directory, "state.json");
        Aws = aws;
        Ec2 = new AmazonEC2Client(new BasicAWSCredentials("test", "test"), new AmazonEC2Config { ServiceURL = simulator.Endpoint.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
        Api = new Ec2Api(Ec2ClientFactory.Create(aws, new BasicAWSCredentials("test", "test")), aws, TimeProvider.System, NullLogger<Ec2Api>.Instance);
        Reconciler = NewReconciler();
    }

    public VpcSimulator Simulator { get; }

    public TopologyConfig Topology { get; }

    public ControllerSettings Settings { get; }

    public AwsOptions Aws { get; }

    /// <summary>A plain SDK client to look at the world independently of the controller.</summary>
    public AmazonEC2Client Ec2 { get; }

    public Ec2Api Api { get; }

    public Reconciler Reconciler { get; private set; }

    public string StatePath => Settings.StateFile;

    public static string Scenarios => Path.Combine(AppContext.BaseDirectory, "Scenarios");

    public static async Task<ControllerFixture> StartAsync(Action<ScenarioFile>? scenario = null, Func<TopologyConfig, TopologyConfig>? topology = null)
    {
        var file = ScenarioLoader.Parse(File.ReadAllText(Path.Combine(Scenarios, "sim-3zone.yaml")), "sim-3zone.yaml");
        file.TransitionSeconds = 0;
        file.HealthEndpoints = false;
        file.Throttling.Enabled = false;
        scenario?.Invoke(file);
        var simulator = await VpcSimulator.StartAsync(file);
        var config = ControllerConfig.Load(Path.Combine(Scenarios, "controller.yaml"));
        var aws = new AwsOptions
        {
            Region = "us-east-1",
            Ec2ServiceUrl = simulator.Endpoint,
            RetryBaseDelay = TimeSpan.FromMilliseconds(5),
            MaxRetries = 8,
            MutationsPerSecond = 5,
            MutationBurst = 50,
        };
        return new ControllerFixture(simulator, topology?.Invoke(config.Topology) ?? config.Topology, config.Controller, aws);
    }

    /// <summary>A fresh reconciler on the same state file: what a restarted controller would be.</summary>
    public Reconciler NewReconciler(ReconcilerDependencies? dependencies = null) =>
        Reconciler = new Reconciler(Api, Topology, Settings, new FileIpamStateStore(Settings.StateFile), TimeProvider.System, NullLoggerFactory.Instance, dependencies);

    public async Task<ReconcileResult> PassAsync() => await Reconciler.ReconcileAsync(CancellationToken.None);

    public async Task<List<Route>> RoutesAsync(string tableId) =>
        (await Ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { RouteTableIds = [tableId] })).RouteTables.Single().Routes;

    /// <summary>Owned routes (inside the pod network) of a table: destination → ENI.</summary>
    public async Task<Dictionary<string, string>> PodRoutesAsync(string tableId) =>
        (await RoutesAsync(tableId)).Where(r => r.DestinationCidrBlock?.StartsWith("100.", StringComparison.Ordinal) == true)
            .ToDictionary(r => r.DestinationCidrBlock, r => r.NetworkInterfaceId ?? r.InstanceId ?? r.GatewayId ?? "?");

    public long MutatingCalls() =>
        new[] { "CreateRoute", "ReplaceRoute", "DeleteRoute", "ModifyNetworkInterfaceAttribute" }.Sum(a => Simulator.Control.Calls.GetValueOrDefault(a));

    public long DescribeCalls() => Simulator.Control.Calls.Where(c => c.Key.StartsWith("Describe", StringComparison.Ordinal)).Sum(c => c.Value);

    public async ValueTask DisposeAsync()
    {
        Ec2.Dispose();
        Api.Dispose();
        await Simulator.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
