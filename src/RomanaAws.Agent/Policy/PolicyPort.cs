namespace RomanaAws.Agent.Policy;

/// <summary>
/// A protocol and a port: a number (with <see cref="EndPort"/>, a range), a name resolved per destination pod from its
/// container ports, or neither (every port of the protocol).
/// </summary>
public sealed record PolicyPort(string Protocol, int? Port, int? EndPort, string? Name = null)
{
    public static PolicyPort Named(string protocol, string name) => new(protocol, null, null, name);
}
