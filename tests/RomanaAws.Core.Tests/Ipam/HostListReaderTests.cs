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
}
