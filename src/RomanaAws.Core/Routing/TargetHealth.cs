namespace RomanaAws.Core.Routing;

/// <summary>How fit a host is to be a route target.</summary>
public enum TargetHealth
{
    /// <summary>Running and passing its checks.</summary>
    Healthy,

    /// <summary>Draining (stopping, scheduled maintenance, marked by tag) or not yet proven: avoid as a new target, move away when possible.</summary>
    Questionable,

    /// <summary>Stopped, terminated or failing its checks: never a target.</summary>
    Failed,
}
