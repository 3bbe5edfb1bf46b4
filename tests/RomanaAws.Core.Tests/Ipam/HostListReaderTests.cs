using RomanaAws.Core.Configuration;
using RomanaAws.Core.Ipam;

namespace RomanaAws.Core.Tests.Ipam;

public sealed class HostListReaderTests
{
    [Fact]
    public void Parse_YamlUnderHostsKey_And_JsonList()
    {
        var yaml = HostListReader.Parse("hosts:\n  - {instanceId: i-0123456789abcdef0, zone: us-east-1a, subnet: subnet-01234567, ip: 172.20.32.10}\n", "h.yaml");
        Assert.Equal("i-0123456789abcdef0", Assert.Single(yaml).InstanceId);
        var json = HostListReader.Parse("""[{"instanceId":"i-01234567","zone":"a","subnet":"subnet-01234567","ip":"fd00::5"}]""", "h.json");
        Assert.Equal("fd00::5", Assert.Single(json).PrimaryIp.ToString());
    }

    [Fact]
    public void Parse_BadEntries_AllReportedWithPaths()
    {
        var ex = Assert.Throws<ConfigException>(() => HostListReader.Parse("""
            hosts:
              - {instanceId: i-xyz, zone: a, subnet: subnet-01234567, ip: 172.20.32.10}
              - {instanceId: i-01234567, zone: a, subnet: sn-1, ip: 172.20.32.300, rack: 4}
              - {instanceId: i-01234568, subnet: subnet-01234567, ip: 172.20.32.10}
            """, "hosts.yaml"));
        Assert.Contains(ex.Errors, e => e.Path == "hosts[0].instanceId" && e.Line == 2);
        Assert.Contains(ex.Errors, e => e.Path == "hosts[1].subnet");
        Assert.Contains(ex.Errors, e => e.Path == "hosts[1].ip");
        Assert.Contains(ex.Errors, e => e.Path == "hosts[1].rack" && e.Message.Contains("unknown key", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Path == "hosts[2].zone" && e.Message == "is required");
    }

    [Fact]
    public void Parse_SubnetUnderTwoZones_EveryConflictReportedNamingBothZonesAndLines()
    {
        var ex = Assert.Throws<ConfigException>(() => ParseHosts(
            ("i-00000001", "us-east-1a", "subnet-0000000a", "172.20.0.1"),
            ("i-00000002", "us-east-1b", "subnet-0000000a", "172.20.0.2"),
            ("i-00000003", "us-east-1a", "subnet-0000000a", "172.20.0.3"),
            ("i-00000004", "us-east-1c", "subnet-0000000a", "172.20.0.4"),
            ("i-00000005", "us-east-1b", "subnet-0000000b", "172.20.0.5")));
        var conflicts = ex.Errors.Where(e => e.Path.EndsWith(".subnet", StringComparison.Ordinal)).ToList();
        Assert.Equal(["hosts[1].subnet", "hosts[3].subnet"], conflicts.Select(e => e.Path));
        Assert.Equal([3, 5], conflicts.Select(e => e.Line));
        Assert.All(conflicts, e => Assert.Equal("subnet-0000000a", e.Value));
        Assert.Contains("zone 'us-east-1b'", conflicts[0].Message, StringComparison.Ordinal);
        Assert.Contains("zone 'us-east-1a' at hosts[0] (line 2)", conflicts[0].Message, StringComparison.Ordinal);
        Assert.Contains("zone 'us-east-1c'", conflicts[1].Message, StringComparison.Ordinal);
        Assert.Contains("zone 'us-east-1a' at hosts[0] (line 2)", conflicts[1].Message, StringComparison.Ordinal);
        Assert.Equal(2, ex.Errors.Count);
    }

    [Fact]
    public void Parse_SameInstanceIdOrIpTwice_NamesTheEarlierEntryAndItsLine()
    {
        var ex = Assert.Throws<ConfigException>(() => ParseHosts(
            ("i-00000001", "us-east-1a", "subnet-0000000a", "172.20.0.1"),
            ("i-00000002", "us-east-1a", "subnet-0000000a", "172.20.0.2"),
            ("i-00000001", "us-east-1a", "subnet-0000000a", "172.20.0.3"),
            ("i-00000004", "us-east-1a", "subnet-0000000a", "172.20.0.2")));
        Assert.Equal(2, ex.Errors.Count);
        var id = Assert.Single(ex.Errors, e => e.Path == "hosts[2].instanceId");
        Assert.Equal(4, id.Line);
        Assert.Contains("hosts[0] (line 2)", id.Message, StringComparison.Ordinal);
        var ip = Assert.Single(ex.Errors, e => e.Path == "hosts[3].ip");
        Assert.Equal(5, ip.Line);
        Assert.Contains("i-00000002 at hosts[1] (line 3)", ip.Message, StringComparison.Ordinal);
    }

    /// <summary>A hosts file with one flow mapping per line under <c>hosts:</c> (line 1), so host k is on line k + 2.</summary>
    private static IReadOnlyList<HostSpec> ParseHosts(params (string Id, string Zone, string Subnet, string Ip)[] hosts) =>
        HostListReader.Parse(
            "hosts:\n" + string.Concat(hosts.Select(h => $"  - {{instanceId: {h.Id}, zone: {h.Zone}, subnet: {h.Subnet}, ip: {h.Ip}}}\n")),
            "hosts.yaml");
}
