using RomanaAws.Core.Persistence.Records;

namespace RomanaAws.Core.Tests.Persistence;

public sealed class RecordPlanTests
{
    private static Dictionary<string, KnownRecord> Known(params (string Key, string Value, long Rev)[] records) =>
        records.ToDictionary(r => r.Key, r => new KnownRecord(r.Value, r.Rev), StringComparer.Ordinal);

    [Fact]
    public void Plan_OnlyChangedRecords_EachComparedWithItsModRevision_NewOnesMustNotExist()
    {
        var known = Known(("topology", "t", 5), ("hosts/a", "1", 6), ("hosts/b", "2", 7), ("blocks/pods/x", "b", 8));
        var wanted = new Dictionary<string, string> { ["topology"] = "t", ["hosts/a"] = "1", ["hosts/b"] = "2b", ["hosts/c"] = "3" };
        var batch = Assert.Single(RecordPlan.Plan(known, wanted, 128));
        Assert.False(batch.Split);
        Assert.Equal(
            [new RecordWrite("hosts/b", "2b", 7), new RecordWrite("hosts/c", "3", 0), new RecordWrite("blocks/pods/x", null, 8)],
            batch.Writes);
    }

    [Fact]
    public void Plan_NothingChanged_NoTransaction()
    {
        var known = Known(("topology", "t", 5));
        Assert.Empty(RecordPlan.Plan(known, new Dictionary<string, string> { ["topology"] = "t" }, 128));
    }

    [Fact]
    public void Plan_LargeSave_SplitWithinTheLimit_HostsFirstTopologyLast_DeletesAfterPuts()
    {
        var wanted = Enumerable.Range(0, 30).ToDictionary(i => $"hosts/h{i:00}", i => $"{i}");
        wanted["topology"] = "t";
        wanted["subnets/pods/a/0"] = "s";
        var known = Known(("blocks/pods/old", "b", 3));
        var batches = RecordPlan.Plan(known, wanted, 10);
        Assert.All(batches, b => Assert.True(b.Writes.Count <= 10 - RecordPlan.Reserved));
        Assert.Equal(33, batches.Sum(b => b.Writes.Count));
        Assert.True(batches[0].First && !batches[0].Last && batches[^1].Last && batches.Skip(1).All(b => !b.First));
        var order = batches.SelectMany(b => b.Writes).Select(w => w.Key).ToList();
        Assert.StartsWith("hosts/", order[0], StringComparison.Ordinal);
        Assert.True(order.IndexOf("subnets/pods/a/0") > order.FindLastIndex(k => k.StartsWith("hosts/", StringComparison.Ordinal)));
        Assert.Equal("blocks/pods/old", order[^1]);
        Assert.Equal("topology", order[^2]);
    }

    [Fact]
    public void Plan_LimitTooSmall_Refused() =>
        Assert.Contains("--max-txn-ops", Assert.Throws<ArgumentOutOfRangeException>(() => RecordPlan.Plan(Known(), new Dictionary<string, string>(), 2)).Message, StringComparison.Ordinal);
}
