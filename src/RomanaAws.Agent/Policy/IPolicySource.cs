namespace RomanaAws.Agent.Policy;

/// <summary>
/// Where the agent's policies, namespaces and pods come from: a directory of objects, or the API server's watches.
/// <see cref="Read"/> is the current state (a bad input throws with what is wrong, and the rules in force stay);
/// <see cref="Changed"/> completes when it changes, so a change reaches the kernel without waiting for the next poll.
/// </summary>
public interface IPolicySource
{
    PolicyInputs Read();

    /// <summary>A task that completes at the next change after this call (never, for sources that cannot tell).</summary>
    Task Changed { get; }
}
