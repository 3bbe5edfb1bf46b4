namespace RomanaAws.Lab.Build;

/// <summary>
/// What the growth scenario saw: the ping stream through it, the VPC routes (table and destination) before and after,
/// the pods on the added nodes, whether they all answered the client, and the client and target of the stream.
/// </summary>
public sealed record GrowthReport(BlackoutReport Stream, IReadOnlySet<string> RoutesBefore, IReadOnlySet<string> RoutesAfter, IReadOnlyList<LabPod> Added, bool AddedReachable, LabPod Client, LabPod Target)
{
    public IReadOnlyList<string> NewRoutes => [.. RoutesAfter.Except(RoutesBefore).Order(StringComparer.Ordinal)];

    public IReadOnlyList<string> LostRoutes => [.. RoutesBefore.Except(RoutesAfter).Order(StringComparer.Ordinal)];

    /// <summary>Routes whose target moved meanwhile ("table destination via next-hop" as it was before).</summary>
    public IReadOnlyList<string> MovedTargets { get; init; } = [];

    /// <summary>The controller's warnings and errors logged meanwhile (printed when the scenario fails).</summary>
    public IReadOnlyList<string> ControllerWarnings { get; init; } = [];
}
