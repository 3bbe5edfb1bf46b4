using RomanaAws.VpcSim.Ec2.Actions;

namespace RomanaAws.VpcSim.Ec2;

/// <summary>Every EC2 action the simulator serves, by name.</summary>
internal static class Ec2Actions
{
    public static IReadOnlyDictionary<string, Ec2Action> ByName { get; } =
        NetworkActions.All
            .Concat(RouteTableActions.All)
            .Concat(InstanceActions.All)
            .Concat(InstanceStatusActions.All)
            .Concat(TagActions.All)
            .ToDictionary(a => a.Name, StringComparer.Ordinal);
}
