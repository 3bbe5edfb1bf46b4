namespace RomanaAws.Core.Routing;

/// <summary>
/// One table against its budget: routes we do not own, routes we own now, routes we want, and what the table will
/// hold after the plan. <see cref="OverBudget"/> when foreign + desired exceed <c>routeLimit − routeHeadroom</c>.
/// </summary>
public sealed record TableBudget(
    string RouteTableId,
    int RouteLimit,
    int RouteHeadroom,
    int Foreign,
    int Owned,
    int Desired,
    int AfterPlan,
    int SkippedForBudget)
{
    public int Budget => RouteLimit - RouteHeadroom;

    /// <summary>The destinations not created for the budget (<see cref="SkippedForBudget"/> of them).</summary>
    public IReadOnlyList<Net.Cidr> Skipped { get; init; } = [];

    public bool OverBudget => Foreign + Desired > Budget;

    /// <summary>Routes still free under the budget after the plan (negative when past it).</summary>
    public int HeadroomLeft => Budget - AfterPlan;
}
