using Amazon.EC2;
using Amazon.Runtime;
using Microsoft.Extensions.Logging;
using RomanaAws.VpcSim.Scenario;

namespace RomanaAws.VpcSim.Tests;

/// <summary>A simulator on an ephemeral loopback port with the shipped 3-zone scenario, and a real EC2 client for it.</summary>
public sealed class SimFixture : IAsyncDisposable
{
    private readonly ILoggerFactory? _loggers;

    private SimFixture(VpcSimulator simulator, AmazonEC2Client ec2, ILoggerFactory? loggers)
    {
        Simulator = simulator;
        Ec2 = ec2;
        _loggers = loggers;
    }

    public VpcSimulator Simulator { get; }

    public AmazonEC2Client Ec2 { get; }

    public static ScenarioFile Scenario(Action<ScenarioFile>? change = null)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Scenarios", "sim-3zone.yaml");
        var scenario = ScenarioLoader.Parse(File.ReadAllText(path), path);
        scenario.TransitionSeconds = 0;
        scenario.HealthEndpoints = false;
        change?.Invoke(scenario);
        return scenario;
    }

    /// <param name="logging">Receives what the simulator logs (nothing is logged when null).</param>
    public static async Task<SimFixture> StartAsync(Action<ScenarioFile>? change = null, TimeProvider? time = null, ILoggerProvider? logging = null)
    {
        var loggers = logging is null ? null : LoggerFactory.Create(b => b.AddProvider(logging));
        var simulator = await VpcSimulator.StartAsync(Scenario(change), new SimulatorOptions { Time = time ?? TimeProvider.System, Logging = loggers });
        return new SimFixture(simulator, Client(simulator.Endpoint), loggers);
    }

    /// <summary>An unmodified EC2 client pointed at the simulator; SDK retries off so each call is seen as it is.</summary>
    public static AmazonEC2Client Client(Uri endpoint, int maxErrorRetry = 0) =>
        new(new BasicAWSCredentials("AKIDSIMULATOR", "simulator-secret"), new AmazonEC2Config
        {
            ServiceURL = endpoint.ToString(),
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = maxErrorRetry,
        });

    public async ValueTask DisposeAsync()
    {
        Ec2.Dispose();
        await Simulator.DisposeAsync();
        _loggers?.Dispose();
    }
}
