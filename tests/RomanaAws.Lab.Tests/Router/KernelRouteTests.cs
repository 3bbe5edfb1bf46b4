using RomanaAws.Lab.Router;

namespace RomanaAws.Lab.Tests.Router;

public sealed class KernelRouteTests
{
    [Fact]
    public void Parse_ViaBlackholeUnreachableAndConnected_WithTheirTables()
    {
        const string dump = """
            100.96.0.0/15 via 172.20.32.11 dev s1 table 100
            blackhole 100.112.0.0/15 table 101
            unreachable 0.0.0.0/0 table 101
            172.20.32.0/19 dev s1 table 100 scope link
            local 172.20.32.1 dev s1 table local proto kernel scope host src 172.20.32.1
            10.0.0.0/8 via 1.2.3.4
            """;
        Assert.Equal(
        [
            new KernelRoute("100.96.0.0/15", "172.20.32.11", "via", "100"),
            new KernelRoute("100.112.0.0/15", null, "blackhole", "101"),
            new KernelRoute("0.0.0.0/0", null, "unreachable", "101"),
            new KernelRoute("172.20.32.0/19", null, "dev", "100"),
            new KernelRoute("172.20.32.1", null, "local", "local"),
        ], KernelRoute.Parse(dump));
    }
}
