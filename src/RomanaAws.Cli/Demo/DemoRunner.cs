using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using RomanaAws.Aws.CloudWatch;
using RomanaAws.Cli.Commands;
using RomanaAws.Cli.Output;
using RomanaAws.Controller;
using RomanaAws.Controller.Configuration;
using RomanaAws.Controller.Health;
using RomanaAws.Controller.Metrics;
using RomanaAws.Controller.Reconcile;
using RomanaAws.Controller.Status;
using RomanaAws.Core.Routing;
using RomanaAws.VpcSim;
using RomanaAws.VpcSim.Scenario;
using Microsoft.Extensions.DependencyInjection;

namespace RomanaAws.Cli.Demo;

/// <summary>
/// The demo, start to finish: simulator, alarm, controller with health checks, route table, a router stopped, the
/// failover as it happens (with measured times), the table again, the alarm. Prints a narrative, or a JSON summary.
/// </summary>
internal sealed class DemoRunner(CliContext context, OutputFormat format)
{
    private const string AlarmName = "romana-aws-route-failover";
    private static readonly BasicAWSCredentials Credentials = new("romana-demo", "romana-demo");
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("romana-demo-");
        try
        {
            return await RunInAsync(directory.FullName, cancellationToken);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private async Task<int> RunInAsync(string directory, CancellationToken cancellationToken)
    {
        var scenario = ScenarioLoader.Parse(Resource("demo/sim-3zone.yaml"), "embedded sim-3zone.yaml");
        scenario.HealthEndpoints = true;
        scenario.TransitionSeconds = 2;
        await using var sim = await VpcSimulator.StartAsync(scenario, new SimulatorOptions(), cancellationToken);
        Say($"VPC simulator on {sim.Endpoint} (EC2 + CloudWatch; {scenario.Instances.Count} instances in {scenario.Zones.Count} zones, {scenario.RouteTables.Count} route tables)");

        using var cloudWatch = new CloudWatchQueryClient(new CloudWatchClientOptions { Region = scenario.Region, ServiceUrl = sim.Endpoint, Credentials = Credentials });
        await cloudWatch.PutMetricAlarmAsync(Alarms.RouteFailover("demo.k8s.local", AlarmName), cancellationToken);
        Say($"CloudWatch alarm {AlarmName}: RouteFailovers ≥ 1 in a minute");

        var configPath = Path.Combine(directory, "controller.yaml");
        await File.WriteAllTextAsync(configPath, Resource("demo/controller.yaml"), cancellationToken);
        var config = ControllerConfig.Load(configPath,
        [
            $"--aws:ec2ServiceUrl={sim.Endpoint}", $"--aws:cloudWatchServiceUrl={sim.Endpoint}",
            $"--controller:stateFile={Path.Combine(directory, "state.json")}", $"--controller:listen=127.0.0.1:{FreePort()}",
        ]);
        var ec2 = ControllerHost.CreateEc2(config.Aws, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        await using var app = ControllerHost.Build(config, new ControllerHostOptions
        {
            LogFormat = "quiet",
            Ec2 = ec2,
            CloudWatch = cloudWatch,
            ProbeTargets = ProbeTargets.Mapped(() => sim.Control.HealthEndpoints),
        });
        var status = app.Services.GetRequiredService<ControllerStatus>();
        var book = app.Services.GetRequiredService<HealthBook>();
        await app.StartAsync(cancellationToken);
        Say($"controller started (health probes every {config.Health.IntervalMs} ms: EC2 state + HTTP /healthz on loopback; fail after {config.Health.FailAfter})");

        await WaitAsync(() => status.Last is { } last && last.Tables.Count > 0 && last.Tables.All(t => t.InSync), TimeSpan.FromSeconds(20), cancellationToken);
        var before = status.Last!;
        Say($"converged: {before.Tables.Count} route tables ({before.TableSelection}), {before.Ipam.RoutesPerTable} routes per table for {before.Ipam.Hosts} hosts");
        PrintTables(before);

        var victimRoute = before.Desired.First(d => d.Zone == "us-east-1a" && d.Target is not null);
        var victim = victimRoute.Target!.InstanceId;
        Say($"stopping {victim}, the router of {victimRoute.Destination} (zone {victimRoute.Zone}, group {victimRoute.Group}) …");
        using var sdk = new AmazonEC2Client(Credentials, new AmazonEC2Config { ServiceURL = sim.Endpoint.ToString(), AuthenticationRegion = scenario.Region });
        var stopAt = _clock.Elapsed;
        await sdk.StopInstancesAsync(new StopInstancesRequest { InstanceIds = [victim] }, cancellationToken);

        TimeSpan? detected = null;
        FailoverEvent? failover = null;
        var deadline = _clock.Elapsed + TimeSpan.FromSeconds(15);
        while (failover is null && _clock.Elapsed < deadline)
        {
            if (detected is null && book.Get(victim) is { State: not TargetHealth.Healthy } health)
            {
                detected = _clock.Elapsed - stopAt;
                Say($"  +{detected.Value.TotalSeconds:0.00} s  detected: {victim} is {health.State.ToString().ToLowerInvariant()} ({health.Reason})");
            }

            failover = status.RecentFailovers.FirstOrDefault(f => f.From == victim);
            await Task.Delay(TimeSpan.FromMilliseconds(25), TimeProvider.System, cancellationToken);
        }

        if (failover is null)
        {
            Say("no failover within 15 s: something is wrong");
            return ExitCodes.Failure;
        }

        var switched = _clock.Elapsed - stopAt;
        Say($"  +{switched.TotalSeconds:0.00} s  failed over: {failover.Destinations.Count} route(s) in {failover.Tables.Count} tables now point at {failover.To} (confirmed by describing every table)");
        var after = status.Last!;
        PrintTables(after);

        AlarmStatus? alarm = null;
        await WaitAsync(() => (alarm = cloudWatch.DescribeAlarmsAsync([AlarmName], cancellationToken).GetAwaiter().GetResult().SingleOrDefault())?.StateValue == "ALARM", TimeSpan.FromSeconds(10), cancellationToken, throwOnTimeout: false);
        Say($"CloudWatch alarm {AlarmName}: {alarm?.StateValue ?? "?"} ({alarm?.StateReason})");
        var budget = after.Tables.Select(t => t.Budget).ToList();
        Say($"done in {_clock.Elapsed.TotalSeconds:0.0} s: failover {switched.TotalSeconds:0.00} s after the stop; budget per table {string.Join(", ", budget)}");
        await app.StopAsync(CancellationToken.None);
        (ec2 as IDisposable)?.Dispose();

        if (format == OutputFormat.Json)
        {
            await Json.WriteAsync(context.Output, new
            {
                failover = new
                {
                    from = failover.From,
                    to = failover.To,
                    group = failover.Group.ToString(),
                    destinations = failover.Destinations.Select(d => d.ToString()),
                    tables = failover.Tables,
                    reason = failover.Reason,
                    detectedSeconds = detected?.TotalSeconds,
                    failoverSeconds = switched.TotalSeconds,
                    controllerFailoverSeconds = failover.TotalSeconds,
                },
                routesPerTable = after.Ipam.RoutesPerTable,
                budget = after.Tables.Select(t => new { t.RouteTableId, t.Budget, t.Used, t.RouteLimit, t.RouteHeadroom }),
                alarm = new { name = AlarmName, state = alarm?.StateValue },
                durationSeconds = _clock.Elapsed.TotalSeconds,
            });
        }

        return alarm?.StateValue == "ALARM" ? ExitCodes.Ok : ExitCodes.Failure;
    }

    private void Say(string line)
    {
        if (format == OutputFormat.Table)
        {
            context.Output.WriteLine($"[{_clock.Elapsed.TotalSeconds,5:0.0}s] {line}");
        }
    }

    /// <summary>The first table in full (every table holds the same pod routes), the others as one line each.</summary>
    private void PrintTables(ReconcileResult result)
    {
        if (format != OutputFormat.Table)
        {
            return;
        }

        context.Output.WriteLine();
        context.Output.Write(RoutesCommand.Render([result.Tables[0]], result.TableSelection, "the controller"));
        foreach (var table in result.Tables.Skip(1))
        {
            context.Output.WriteLine($"{table.RouteTableId}  same {table.Routes.Count} pod routes, {(table.InSync ? "in sync" : "OUT OF SYNC")}, budget {table.Budget}, foreign {table.ForeignRoutes}");
        }

        context.Output.WriteLine();
    }

    private static async Task WaitAsync(Func<bool> condition, TimeSpan timeout, CancellationToken cancellationToken, bool throwOnTimeout = true)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > timeout)
            {
                if (throwOnTimeout)
                {
                    throw new TimeoutException($"the demo waited {timeout.TotalSeconds:0} s for the controller; see the log above");
                }

                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System, cancellationToken);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Resource(string name)
    {
        using var stream = typeof(DemoRunner).Assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"embedded resource {name} missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
