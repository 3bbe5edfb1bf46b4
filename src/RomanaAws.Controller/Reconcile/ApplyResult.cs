using RomanaAws.Core.Net;

namespace RomanaAws.Controller.Reconcile;

/// <summary>What <see cref="RouteApplier"/> did with a plan: writes made, writes refused, and the route failures Node events report.</summary>
public sealed record ApplyResult(int Applied, IReadOnlyList<WriteError> Errors, IReadOnlyList<RouteFailure> Failures)
{
    /// <summary>A converged plan: nothing to do.</summary>
    public static ApplyResult Nothing { get; } = new(0, [], []);

    /// <summary>Whether a write of <paramref name="destination"/> was refused in some table.</summary>
    public bool Failed(Cidr destination) => Errors.Any(e => e is RouteWriteError w && w.Operation.Destination == destination);
}
