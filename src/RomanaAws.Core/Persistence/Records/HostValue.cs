namespace RomanaAws.Core.Persistence.Records;

/// <summary>A <c>hosts/INSTANCE</c> record: where the host is, and <paramref name="Seq"/>, its arrival order (never reused).</summary>
public sealed record HostValue(long Seq, string Zone, string Subnet, string Ip);
