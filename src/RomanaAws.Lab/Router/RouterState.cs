namespace RomanaAws.Lab.Router;

/// <summary>Everything the VPC router namespace must hold for one snapshot of the simulator: bridges, tables, and which instances are on the wire.</summary>
public sealed record RouterState(IReadOnlyList<RouterSubnet> Subnets, IReadOnlyList<RouterTable> Tables, IReadOnlyDictionary<string, bool> OnWire)
{
    /// <summary>The same state without these instances' wire state (their ports did not exist yet: decided again next time).</summary>
    public RouterState Without(IReadOnlySet<string> instances) =>
        this with { OnWire = OnWire.Where(kv => !instances.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal) };
}
