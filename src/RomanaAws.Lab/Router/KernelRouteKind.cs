namespace RomanaAws.Lab.Router;

/// <summary>How the VPC router's kernel treats a destination.</summary>
public enum KernelRouteKind
{
    /// <summary>A subnet of the VPC: delivered on that subnet's bridge.</summary>
    Connected,

    /// <summary>An active instance or ENI target: forwarded to its private address.</summary>
    Via,

    /// <summary>EC2 says blackhole (target stopped or gone): dropped silently, as EC2 does.</summary>
    Blackhole,

    /// <summary>A gateway the lab does not have (internet, NAT, peering, transit): unreachable.</summary>
    Unreachable,
}
