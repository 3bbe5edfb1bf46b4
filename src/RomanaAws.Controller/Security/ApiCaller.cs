namespace RomanaAws.Controller.Security;

/// <summary>What a caller of the API is allowed to be: a node's agent, or an operator (a person, Prometheus, a script).</summary>
public enum CallerKind
{
    /// <summary>No authentication (loopback, or api.auth none): every call is allowed, as before the API had any.</summary>
    Anonymous,
    Agent,
    Operator,
}

/// <summary>
/// Who is calling, as far as the controller is concerned: the user name the token was issued to and, for an agent,
/// the node its pod runs on and that node's instance (the only instance it may act for).
/// </summary>
public sealed record ApiCaller(CallerKind Kind, string Name, string? Node = null, string? InstanceId = null)
{
    /// <summary>The rate limiter's partition: one bucket per agent instance, per operator user, per anonymous address.</summary>
    public string LimitKey => Kind switch
    {
        CallerKind.Agent => $"agent:{InstanceId}",
        CallerKind.Operator => $"user:{Name}",
        _ => $"address:{Name}",
    };

    /// <summary>For logs: "agent of node-a1 (i-0a…)", "operator alice", "anonymous 127.0.0.1".</summary>
    public override string ToString() => Kind switch
    {
        CallerKind.Agent => $"agent {Name} of node {Node} ({InstanceId})",
        CallerKind.Operator => $"operator {Name}",
        _ => $"anonymous {Name}",
    };
}
