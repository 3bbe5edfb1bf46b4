using System.Net;
using RomanaAws.Tests.Shared;
using RomanaAws.VpcSim.Scenario;

namespace RomanaAws.VpcSim.Tests.Robustness;

/// <summary>
/// The simulator inputs the fuzzers found (fuzz/findings/sim-*, docs/robustness.md): scenarios are refused with a
/// <see cref="ScenarioException"/>, requests over real HTTP with a 400 and an EC2 error code (never the 500 safety net).
/// </summary>
public sealed class FuzzFindingsTests
{
    public static TheoryData<string> Files(string target)
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Repo.Root, "fuzz", "findings", target)).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files), "sim-scenario")]
    public void Scenario_FuzzFinding_RefusedAsAScenarioProblem(string name)
    {
        var text = File.ReadAllText(Path.Combine(Repo.Root, "fuzz", "findings", "sim-scenario", name));
        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(text, name));
        Assert.Contains(name, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Files), "sim-query")]
    public async Task Query_FuzzFinding_Answered400WithAnEc2Code(string name)
    {
        var form = (await File.ReadAllTextAsync(Path.Combine(Repo.Root, "fuzz", "findings", "sim-query", name))).TrimEnd('\n');
        await using var sim = await SimFixture.StartAsync();
        var (status, code, message, _) = await RawQuery.PostAsync(sim.Simulator.Endpoint, form);
        Assert.True(status == HttpStatusCode.BadRequest, $"{name}: {status} {code} {message}");
        Assert.NotEqual("InternalError", code);
    }
}
