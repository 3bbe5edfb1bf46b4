using RomanaAws.Lab.Router;

namespace RomanaAws.Lab.Tests.Router;

public sealed class RouterStateTests
{
    [Fact]
    public void Without_ForgetsOnlyTheUnwiredInstances()
    {
        var state = new RouterState([], [], new Dictionary<string, bool> { ["i-a"] = true, ["i-b"] = false, ["i-new"] = true });
        var kept = state.Without(new HashSet<string> { "i-new" });
        Assert.Equal(["i-a", "i-b"], kept.OnWire.Keys.Order(StringComparer.Ordinal));
        Assert.False(kept.OnWire["i-b"]);
        Assert.Equal(3, state.OnWire.Count);
    }
}
