namespace RomanaAws.Agent.Policy;

/// <summary>
/// One ingress (from) or egress (to) rule: traffic matching any listed peer and any listed port is allowed. An empty
/// list means "all" (every peer, every port), as in the API.
/// </summary>
public sealed record PolicyRule(IReadOnlyList<PolicyPeer> Peers, IReadOnlyList<PolicyPort> Ports);
