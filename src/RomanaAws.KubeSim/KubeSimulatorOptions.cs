using System.Net;

namespace RomanaAws.KubeSim;

/// <summary>Where the stand-in listens and how it behaves.</summary>
public sealed record KubeSimulatorOptions
{
    /// <summary>Loopback by default; never anything a test did not create.</summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Loopback;

    /// <summary>0: any free port.</summary>
    public int Port { get; init; }

    /// <summary>How often a watch that allows bookmarks gets one when nothing else happens (the real server: about a minute).</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How many changes are kept for watches from a resourceVersion; older ones are 410 Expired.</summary>
    public int HistoryLimit { get; init; } = 10_000;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The namespaces that exist from the start, as on a real API server (events of cluster-scoped objects go to default).</summary>
    public IReadOnlyList<string> Namespaces { get; init; } = ["default", "kube-system"];
}
