using System.Text;
using RomanaAws.Core.Configuration;
using RomanaAws.Core.Ipam;
using RomanaAws.Core.Persistence;
using RomanaAws.Core.Topology;
using RomanaAws.Tests.Shared;

namespace RomanaAws.Core.Tests.Robustness;

/// <summary>
/// Every input the fuzzers found (fuzz/findings/, docs/robustness.md) replayed through the parser it crashed: each must now
/// be refused with the documented error type, naming the file — never another exception.
/// </summary>
public sealed class FuzzFindingsTests
{
    public static TheoryData<string, string> Findings()
    {
        var data = new TheoryData<string, string>();
        foreach (var target in new[] { "topology", "hosts", "ipam-state" })
        {
            var directory = Path.Combine(Repo.Root, "fuzz", "findings", target);
            foreach (var file in Directory.EnumerateFiles(directory).Where(f => !Path.GetFileName(f).StartsWith("crash-", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            {
                data.Add(target, Path.GetFileName(file));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Findings))]
    public void Parse_FuzzFinding_RefusedWithTheDocumentedError(string target, string name)
    {
        var bytes = File.ReadAllBytes(Path.Combine(Repo.Root, "fuzz", "findings", target, name));
        var text = Encoding.UTF8.GetString(bytes);
        Exception error = target switch
        {
            "topology" => Assert.Throws<ConfigException>(() => TopologyReader.Parse(text, name)),
            "hosts" => Assert.Throws<ConfigException>(() => HostListReader.Parse(text, name)),
            _ => Assert.ThrowsAny<IpamException>(() => Core.Ipam.Ipam.FromDocument(IpamStateSerializer.Deserialize(bytes, name), name)),
        };
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }
}
