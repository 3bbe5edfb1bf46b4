namespace RomanaAws.Lab.Router;

/// <summary>One route of one kernel table of the VPC router: destination, kind, and the device or next hop.</summary>
public sealed record RouterRoute(string Destination, KernelRouteKind Kind, string? Device, string? Via);
