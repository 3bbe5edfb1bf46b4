using System.Net;

namespace RomanaAws.VpcSim.World;

internal sealed class SimNetworkInterface
{
    public required string Id { get; init; }

    public required SimSubnet Subnet { get; init; }

    public required IPAddress PrivateIp { get; init; }

    public bool SourceDestCheck { get; set; } = true;

    public string? InstanceId { get; set; }

    public string? AttachmentId { get; set; }

    public int DeviceIndex { get; set; }

    /// <summary>Deleted with its instance on termination (the primary interface) — routes to it turn blackhole.</summary>
    public bool Deleted { get; set; }

    public SimTags Tags { get; } = new();

    public string Status => Deleted ? "deleted" : InstanceId is null ? "available" : "in-use";
}
