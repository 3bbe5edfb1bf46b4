using System.Text;
using RomanaAws.VpcSim.Scenario;

namespace RomanaAws.Fuzz;

/// <summary>A simulator scenario file (<c>sim --scenario</c>): YAML → <see cref="ScenarioLoader.Parse"/> → seed a world. Bad input is a <see cref="ScenarioException"/>.</summary>
internal sealed class SimScenarioTarget : FuzzTarget
{
    private static readonly TimeProvider Time = new FixedTimeProvider();

    public override string Name => "sim-scenario";

    public override void Run(ReadOnlySpan<byte> input)
    {
        var scenario = ScenarioLoader.Parse(Encoding.UTF8.GetString(input), "fuzz-scenario.yaml");
        var world = new VpcSim.World.SimWorld(Time, ScenarioSeeder.Settings(scenario));
        ScenarioSeeder.Seed(world, scenario);
    }

    public override bool IsExpected(Exception exception) => exception is ScenarioException;
}
