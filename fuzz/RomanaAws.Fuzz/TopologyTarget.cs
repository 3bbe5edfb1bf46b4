using System.Text;
using RomanaAws.Core.Configuration;
using RomanaAws.Core.Topology;

namespace RomanaAws.Fuzz;

/// <summary>
/// The path of <c>topology validate</c>: YAML or JSON text → <see cref="ConfigDocumentReader"/> → bind → validate
/// (<see cref="TopologyReader.Parse"/>), then the derived values the command prints. Bad input is a <see cref="ConfigException"/>.
/// </summary>
internal sealed class TopologyTarget : FuzzTarget
{
    public override string Name => "topology";

    public override void Run(ReadOnlySpan<byte> input)
    {
        var topology = TopologyReader.Parse(Encoding.UTF8.GetString(input), "fuzz.yaml");
        _ = topology.MaxRoutesPerTable;
        _ = topology.RouteBudget;
        foreach (var network in topology.Networks)
        {
            _ = network.Cidr.ToString();
        }
    }

    public override bool IsExpected(Exception exception) => exception is ConfigException;
}
