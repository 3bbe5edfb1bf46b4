using System.Text.Json;
using System.Text.Json.Serialization;
using RomanaAws.Core.Routing;
using static RomanaAws.Core.Tests.Routing.RoutingFixtures;

namespace RomanaAws.Core.Tests.Routing;

public sealed class RouteReportTests
{
    [Fact]
    public void Build_EachRouteGetsItsStatus_MissingOnesDoNotCountAsUsed()
    {
        var table = Table("rtb-a",
            Nat(),
            ToEni("100.96.0.0/15", 1),                          // as desired
            ToEni("100.98.0.0/15", 2),                          // desired at host 3
            ToEni("100.100.0.0/15", 4, RouteState.Blackhole),   // desired at host 5, target stopped
            ToEni("100.102.0.0/15", 6),                         // no group wants it
            ToEni("100.104.0.0/15", 7));                        // its group has no healthy host
        List<DesiredRoute> desired =
        [
            Want("100.96.0.0/15", 1), Want("100.98.0.0/15", 3), Want("100.100.0.0/15", 5), Want("100.104.0.0/15", null, TargetChoice.NoHealthyTarget),
            Want("100.106.0.0/15", 8), // not in the table yet
        ];

        var view = Assert.Single(RouteReport.Build(desired, [table], Networks, [.. Enumerable.Range(1, 8).Select(n => Instance(n))], DesiredState.FromInstanceState, 50, 5));
        Assert.Equal(
            ["100.96.0.0/15 Ok", "100.98.0.0/15 WrongTarget", "100.100.0.0/15 Blackhole", "100.102.0.0/15 Stale", "100.104.0.0/15 NoHealthyTarget", "100.106.0.0/15 Missing"],
            view.Routes.Select(r => $"{r.Destination} {r.Status}"));
        Assert.Equal([true, true, true, true, true, false], view.Routes.Select(r => r.Exists));
        Assert.Equal((5 + 2, "7/50 (headroom 5)", false), (view.Used, view.Budget, view.InSync)); // 5 pod routes + local + NAT
    }

    [Fact]
    public void Status_JsonAndTextNamesAreTheDocumentedOnes()
    {
        // docs/operations.md ("Reading the API and metrics") lists these; /v1/routes and `routes --output json` use the same converter.
        var options = new JsonSerializerOptions { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } };
        var names = Enum.GetValues<RouteStatus>().Select(s => (Json: JsonSerializer.Serialize(s, options).Trim('"'), Text: s.Label())).ToList();
        Assert.All(names, n => Assert.Equal(n.Json, n.Text));
        Assert.Equal(["ok", "wrong target", "blackhole", "stale", "missing", "no healthy target"], names.Select(n => n.Text));
    }
}
