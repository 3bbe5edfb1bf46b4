namespace RomanaAws.Core.Agents;

/// <summary>Builds one node's <see cref="AgentDesiredState"/> from the IPAM. Pure (reads the IPAM it is given).</summary>
public static class AgentView
{
    /// <summary>
    /// One node's view of a live IPAM, through its state document and <see cref="AgentStateIndex"/> (the one place the
    /// view is decided). O(hosts + blocks) per call: the controller serves agents from a published index instead.
    /// </summary>
    public static AgentDesiredState? For(Ipam.Ipam ipam, string instanceId)
    {
        ArgumentNullException.ThrowIfNull(ipam);
        return new AgentStateIndex(ipam.ToDocument()).For(instanceId);
    }
}
