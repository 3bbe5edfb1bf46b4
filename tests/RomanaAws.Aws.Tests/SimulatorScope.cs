using Amazon.Runtime;
using RomanaAws.Aws.CloudWatch;
using RomanaAws.VpcSim;
using RomanaAws.VpcSim.Scenario;

namespace RomanaAws.Aws.Tests;

/// <summary>The shipped scenario in a simulator that verifies SigV4 signatures with a known key pair.</summary>
internal sealed class SimulatorScope : IAsyncDisposable
{
    public const string AccessKey = "AKIDROMANATEST";
    public const string SecretKey = "romana-test-secret";

    private SimulatorScope(VpcSimulator simulator) => Simulator = simulator;

    public VpcSimulator Simulator { get; }

    public static async Task<SimulatorScope> StartAsync(TimeProvider? time = null, Action<ScenarioFile>? change = null)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Scenarios", "sim-3zone.yaml");
        var scenario = ScenarioLoader.Parse(File.ReadAllText(path), path);
        scenario.HealthEndpoints = false;
        scenario.TransitionSeconds = 0;
        scenario.Credentials = new CredentialsSpec { AccessKeyId = AccessKey, SecretAccessKey = SecretKey };
        change?.Invoke(scenario);
        return new SimulatorScope(await VpcSimulator.StartAsync(scenario, new SimulatorOptions { Time = time ?? TimeProvider.System }));
    }

    public CloudWatchQueryClient CloudWatch(string secret = SecretKey) => new(new CloudWatchClientOptions
    {
        Region = "us-east-1",
        ServiceUrl = Simulator.Endpoint,
        Credentials = new BasicAWSCredentials(AccessKey, secret),
    });

    public ValueTask DisposeAsync() => Simulator.DisposeAsync();
}
