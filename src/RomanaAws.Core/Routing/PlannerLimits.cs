namespace RomanaAws.Core.Routing;

/// <summary>Route budget per table and the cap on deletes per pass (so a stale or empty view can never wipe a table).</summary>
public sealed record PlannerLimits(int RouteLimit, int RouteHeadroom, int MaxDeletesPerPass)
{
    public const int DefaultMaxDeletesPerPass = 5;
}
