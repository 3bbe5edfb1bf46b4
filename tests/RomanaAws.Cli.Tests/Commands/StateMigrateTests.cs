using RomanaAws.Core.Persistence;
using RomanaAws.Tests.Shared;
using Xunit.Abstractions;

namespace RomanaAws.Cli.Tests.Commands;

/// <summary><c>romana-aws state migrate</c> between the file store and a real etcd (one member on loopback), both ways.</summary>
public sealed class StateMigrateTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("romana-migrate-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string Text(IpamStateDocument d) => System.Text.Encoding.UTF8.GetString(IpamStateSerializer.Serialize(d with { Revision = 0, Digest = null }));

    [Fact]
    public async Task Migrate_FileToEtcdAndBack_SameState_IntoAnEmptyStoreOnly()
    {
        if (EtcdCluster.Missing() is { } missing)
        {
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true", $"CI=true but etcd cannot run: {missing}");
            output.WriteLine($"skipped: {missing}");
            return;
        }

        await using var etcd = await EtcdCluster.StartAsync(1);
        var state = Path.Combine(_directory, "state.json");
        var config = Path.Combine(_directory, "controller.yaml");
        await File.WriteAllTextAsync(config, (await File.ReadAllTextAsync(CliRun.Example("topology.yaml")))
            + $"\ncontroller:\n  stateFile: {state}\netcd:\n  endpoints: [{etcd.Endpoint(0)}]\n");
        Assert.Equal(0, (await CliRun.Of("ipam", "init", "--config", config, "--state", state, "--hosts", CliRun.Example("hosts.yaml"))).ExitCode);
        var original = (await new FileIpamStateStore(state).LoadAsync(CancellationToken.None))!;

        var toEtcd = await CliRun.Of("state", "migrate", "--config", config, "--to", "etcd");
        Assert.True(toEtcd.ExitCode == 0, toEtcd.Error);
        Assert.Contains($"{original.Hosts.Count} host(s)", toEtcd.Output, StringComparison.Ordinal);
        Assert.Contains("loads whole", toEtcd.Output, StringComparison.Ordinal);

        var again = await CliRun.Of("state", "migrate", "--config", config, "--to", "etcd");
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("already holds IPAM state", again.Error, StringComparison.Ordinal);

        File.Move(state, state + ".old");
        var toFile = await CliRun.Of("state", "migrate", "--config", config, "--to", "file");
        Assert.True(toFile.ExitCode == 0, toFile.Error);
        Assert.Equal(Text(original), Text((await new FileIpamStateStore(state).LoadAsync(CancellationToken.None))!));
    }

    [Fact]
    public async Task Migrate_NoEtcdSection_ErrorNamesTheKey()
    {
        var config = Path.Combine(_directory, "controller.yaml");
        await File.WriteAllTextAsync(config, await File.ReadAllTextAsync(CliRun.Example("topology.yaml")));
        var run = await CliRun.Of("state", "migrate", "--config", config, "--to", "etcd");
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("etcd.endpoints", run.Error, StringComparison.Ordinal);
    }
}
