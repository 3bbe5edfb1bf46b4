namespace RomanaAws.Lab.Scenarios;

/// <summary>Pure helpers over reachability matrices (sets of <see cref="Reach"/> that answered).</summary>
public static class ReachMatrix
{
    /// <summary>Every ordered pair of distinct pods, both protocols.</summary>
    public static IReadOnlyList<Reach> All(IReadOnlyList<string> pods)
    {
        ArgumentNullException.ThrowIfNull(pods);
        return [.. pods.SelectMany(a => pods.Where(b => b != a).SelectMany(b => new[] { new Reach(a, b, LabProtocol.Tcp), new Reach(a, b, LabProtocol.Udp) }))];
    }

    /// <summary>What differs from the expectation: cells expected to answer that did not, and cells that answered but should not have.</summary>
    public static (IReadOnlyList<Reach> Missing, IReadOnlyList<Reach> Unexpected) Compare(IReadOnlySet<Reach> expected, IReadOnlySet<Reach> observed)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(observed);
        return ([.. expected.Where(r => !observed.Contains(r)).OrderBy(r => r.ToString(), StringComparer.Ordinal)],
            [.. observed.Where(r => !expected.Contains(r)).OrderBy(r => r.ToString(), StringComparer.Ordinal)]);
    }
}
