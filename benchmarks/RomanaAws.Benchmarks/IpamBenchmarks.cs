using BenchmarkDotNet.Attributes;
using RomanaAws.Core.Ipam;
using RomanaAws.Core.Persistence;

namespace RomanaAws.Benchmarks;

/// <summary>The targets: host placement, pod allocate+release throughput, state save and load.</summary>
[MemoryDiagnoser]
public class IpamBenchmarks
{
    private Ipam _placed = null!;
    private Ipam _full = null!;
    private byte[] _state = [];

    [GlobalSetup]
    public void Setup()
    {
        _placed = ClusterScenario.PlaceHosts();
        _full = ClusterScenario.PlaceHosts();
        ClusterScenario.AllocateAll(_full);
        _state = IpamStateSerializer.Serialize(_full.ToDocument());
    }

    [Benchmark(Description = "Place 5,000 hosts over 3 zones")]
    public Ipam PlaceHosts() => ClusterScenario.PlaceHosts();

    /// <summary>150,000 allocations then 150,000 releases on the placed cluster: 300,000 operations per invoke.</summary>
    [Benchmark(Description = "Allocate+release 150,000 pods (per operation)", OperationsPerInvoke = 2 * ClusterScenario.PodCount)]
    public int AllocateRelease()
    {
        ClusterScenario.AllocateAll(_placed);
        var count = _placed.PodCount;
        ClusterScenario.ReleaseAll(_placed);
        return count;
    }

    [Benchmark(Description = "Serialize 5,000-host / 150,000-pod state")]
    public byte[] Save() => IpamStateSerializer.Serialize(_full.ToDocument());

    [Benchmark(Description = "Load 5,000-host / 150,000-pod state")]
    public Ipam Load() => Ipam.FromDocument(IpamStateSerializer.Deserialize(_state, "bench"), "bench");
}
