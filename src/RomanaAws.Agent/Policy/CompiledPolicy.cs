namespace RomanaAws.Agent.Policy;

/// <summary>
/// The compiled form: an <c>ipset restore</c> script (each set filled beside its live twin, then swapped in) and an
/// <c>iptables-restore --noflush</c> script that touches only ROMANA- chains.
/// </summary>
public sealed record CompiledPolicy(string IpsetRestore, string IptablesRestore, IReadOnlyList<string> Chains, IReadOnlyList<string> Sets, int RuleCount);
