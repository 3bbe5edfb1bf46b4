namespace RomanaAws.Agent.Tests.Policy;

/// <summary>One probe of the e2e matrix: a client pod to a server pod on a protocol and port.</summary>
internal readonly record struct Probe(string From, string To, string Protocol, int Port)
{
    public string FromNamespace => From.Split('/')[0];

    public string ToNamespace => To.Split('/')[0];

    public override string ToString() => $"{From}→{To} {Protocol}/{Port}";
}

/// <summary>
/// One state of a case: the policies in force (YAML, <c>$(ns/pod)</c> standing for that pod's IP), labels added to
/// pods and namespaces (by "ns/pod" or "ns"), and which probes the upstream test expects to connect.
/// </summary>
internal sealed record NetpolStep(
    string Policies,
    Func<Probe, bool> Allowed,
    IReadOnlyDictionary<string, Dictionary<string, string>>? PodLabels = null,
    IReadOnlyDictionary<string, Dictionary<string, string>>? NamespaceLabels = null);

/// <summary>A case of the upstream suite (its <c>ginkgo.It</c> name) as one or more steps (an update is a second step).</summary>
internal sealed record NetpolCase(string Upstream, IReadOnlyList<NetpolStep> Steps)
{
    public override string ToString() => Upstream;
}
