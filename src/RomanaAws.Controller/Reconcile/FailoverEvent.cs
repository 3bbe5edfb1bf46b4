using RomanaAws.Core.Net;
using RomanaAws.Core.Routing;

namespace RomanaAws.Controller.Reconcile;

/// <summary>
/// One failover, as logged and published: the group and its CIDRs, the tables re-pointed, from and to which
/// instance, why, and when: last seen healthy, detected (marked failed or questionable), switched (confirmed in every table).
/// </summary>
public sealed record FailoverEvent(
    GroupKey Group,
    IReadOnlyList<Cidr> Destinations,
    IReadOnlyList<string> Tables,
    string From,
    string To,
    string Reason,
    DateTimeOffset LastHealthyAt,
    DateTimeOffset DetectedAt,
    DateTimeOffset SwitchedAt)
{
    public double DetectionSeconds => Math.Max(0, (DetectedAt - LastHealthyAt).TotalSeconds);

    public double SwitchSeconds => Math.Max(0, (SwitchedAt - DetectedAt).TotalSeconds);

    /// <summary>From the last healthy sign to every table re-pointed (the FailoverSeconds metric).</summary>
    public double TotalSeconds => Math.Max(0, (SwitchedAt - LastHealthyAt).TotalSeconds);
}
