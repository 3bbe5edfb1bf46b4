namespace RomanaAws.VpcSim.Audit;

/// <summary>
/// One mutating EC2 call as the simulator received it (after the signature check, before faults and throttling),
/// in arrival order: who sent it (the access key id of its signature), the action and what it names. The order
/// across callers is what a fencing test reads: no write of an old leader after the new leader's first.
/// </summary>
/// <param name="Sequence">Arrival order, from 1, over all callers.</param>
/// <param name="At">The simulator's clock when it arrived.</param>
/// <param name="Caller">The access key id the request was signed with ("(unsigned)" without a credential).</param>
/// <param name="Action">For example CreateRoute.</param>
/// <param name="RouteTableId">The table a route call names; null otherwise.</param>
/// <param name="Destination">The destination CIDR a route call names; null otherwise.</param>
/// <param name="Target">The network interface a route call or ModifyNetworkInterfaceAttribute names; null otherwise.</param>
public sealed record WriteRecord(long Sequence, DateTimeOffset At, string Caller, string Action, string? RouteTableId, string? Destination, string? Target);
