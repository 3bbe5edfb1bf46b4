namespace RomanaAws.Agent.Policy;

/// <summary>
/// The compiled form: an <c>ipset restore</c> script (each set filled beside its live twin, then swapped in) and an
/// <c>iptables-restore --noflush</c> script that touches only ROMANA- chains.
/// </summary>
public sealed record CompiledPolicy(string IpsetRestore, string IptablesRestore, IReadOnlyList<string> Chains, IReadOnlyList<string> Sets, int RuleCount)
{
    /// <summary>The <c>ipset restore</c> lines of each set, so an incremental load swaps only the sets that changed.</summary>
    public IReadOnlyDictionary<string, string> SetScripts { get; init; } = new Dictionary<string, string>();

    /// <summary>The members of each set (<c>CIDR</c> or <c>CIDR nomatch</c>), to add and delete only what changed.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> SetEntries { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
}
