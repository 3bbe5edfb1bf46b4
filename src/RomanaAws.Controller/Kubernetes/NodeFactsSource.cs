namespace RomanaAws.Controller.Kubernetes;

/// <summary>
/// Where the <see cref="NodeController"/> publishes what Kubernetes says about the Nodes and the reconciler reads it at
/// the start of a pass. A holder of its own, so the reconciler does not depend on the NodeController (which depends on
/// the reconciler). Thread-safe: the value is an immutable <see cref="NodeFacts"/>, replaced whole.
/// </summary>
public sealed class NodeFactsSource
{
    private NodeFacts? _current;

    /// <summary>The Nodes as of the last change; null before the first list.</summary>
    public NodeFacts? Current => Volatile.Read(ref _current);

    public void Publish(NodeFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        Volatile.Write(ref _current, facts);
    }
}
