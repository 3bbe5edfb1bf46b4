using BenchmarkDotNet.Attributes;
using RomanaAws.Core.Agents;
using RomanaAws.Core.Ipam;
using RomanaAws.Core.Persistence;

namespace RomanaAws.Benchmarks;

/// <summary>
/// Agents' reads from the published state on the 5,000-host / ~25,000-block cluster: the document a save already builds,
/// the index built once per published state, one node's answer from it (and that answer as JSON, what the API sends).
/// </summary>
[MemoryDiagnoser]
public class AgentReadBenchmarks
{
    private Ipam _ipam = null!;
    private IpamStateDocument _document = null!;
    private AgentStateIndex _index = null!;
    private string _host = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _ipam = ClusterScenario.PlaceHosts();
        ClusterScenario.AllocateAll(_ipam);
        _document = _ipam.ToDocument();
        _index = new AgentStateIndex(_document);
        _host = ClusterScenario.Hosts[1234].InstanceId;
    }

    [Benchmark(Description = "State document of 5,000 hosts / 25,000 blocks (every save builds it)")]
    public IpamStateDocument Document() => _ipam.ToDocument();

    [Benchmark(Description = "Agent index from that document (once per published state)")]
    public AgentStateIndex Index() => new(_document);

    [Benchmark(Description = "One node's desired state from the index")]
    public AgentDesiredState? Answer() => _index.For(_host);

    [Benchmark(Description = "One node's desired state as JSON")]
    public byte[] AnswerJson() => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(_index.For(_host));
}
