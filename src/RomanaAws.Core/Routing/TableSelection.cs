namespace RomanaAws.Core.Routing;

/// <summary>
/// The route tables a pass manages (<see cref="ManagedTables.Select"/>), how they were chosen ("configured", "tagged",
/// "associated with cluster subnets"), and warnings about the choice that are not errors of the pass.
/// </summary>
public sealed record TableSelection(IReadOnlyList<RouteTableSnapshot> Tables, string How, IReadOnlyList<string> Warnings)
{
    /// <summary>Nothing selected (no VPC, or nothing looked at yet).</summary>
    public static TableSelection None { get; } = new([], "none", []);
}
