using RomanaAws.Core.Agents;
using RomanaAws.Core.Persistence;

namespace RomanaAws.Controller.Reconcile;

/// <summary>
/// What the read API serves, as of the last load or save: the state document that load or save produced (immutable)
/// and, built on the first read and then shared by every reader, every node's agent view (<see cref="AgentStateIndex"/>).
/// Reads take no lock and never wait for a pass; only what is stored is served (an unsaved change is not).
/// </summary>
/// <remarks>
/// Cost, at 5,000 hosts and 25,000 blocks (docs/benchmarks.md, "Agent reads"): publishing is O(1) — the document is the
/// one the save already built for the store, so a claim copies nothing more than it did before (the file store then
/// serialises and fsyncs that whole document, 80–120 ms; etcd diffs it into records). The index is built lazily, once
/// per published state and only when somebody reads before the next change, in O(hosts + blocks); an answer is then
/// O(its subnet's hosts). Keeping an index updated in place per claim (persistent collections) would save the rebuild,
/// but every save already costs more than it, so the simpler immutable snapshot is kept.
/// </remarks>
/// <param name="routing">How groups are advertised (the configured topology's: the document does not store it).</param>
public sealed class PublishedState(IpamStateDocument document, long revision, Core.Topology.RoutingConfig? routing = null)
{
    private readonly Lazy<AgentStateIndex> _agents = new(() => new AgentStateIndex(document, routing));

    public IpamStateDocument Document => document;

    /// <summary>The store's revision of <see cref="Document"/> (0 before the first save).</summary>
    public long Revision => revision;

    /// <summary>One node's desired routing and owners; null for an unknown host.</summary>
    public AgentDesiredState? AgentState(string instanceId) => _agents.Value.For(instanceId);
}
