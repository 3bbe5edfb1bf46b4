namespace RomanaAws.Core.Routing;

/// <summary>Everything one reconcile pass will do, and what it found. Empty <see cref="Operations"/> means converged.</summary>
public sealed record ReconcilePlan(
    IReadOnlyList<RouteOperation> Operations,
    IReadOnlyList<TableBudget> Budgets,
    IReadOnlyList<RouteTarget> DisableSourceDestCheck,
    IReadOnlyList<string> Warnings)
{
    public bool IsConverged => Operations.Count == 0 && DisableSourceDestCheck.Count == 0;
}
