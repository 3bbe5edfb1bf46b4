namespace RomanaAws.Lab.Scenarios;

/// <summary>One cell of the reachability matrix: a probe from one pod to another (by pod name) over one protocol.</summary>
public sealed record Reach(string From, string To, LabProtocol Protocol)
{
    /// <summary>The port every lab pod's server (pod-echo) answers on, over TCP and UDP.</summary>
    public const int Port = 8080;

    public override string ToString() => $"{From} -> {To} {Protocol.ToString().ToUpperInvariant()}";
}
