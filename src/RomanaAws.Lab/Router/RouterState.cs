namespace RomanaAws.Lab.Router;

/// <summary>Everything the VPC router namespace must hold for one snapshot of the simulator: bridges, tables, and which instances are on the wire.</summary>
public sealed record RouterState(IReadOnlyList<RouterSubnet> Subnets, IReadOnlyList<RouterTable> Tables, IReadOnlyDictionary<string, bool> OnWire);
