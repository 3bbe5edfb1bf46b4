using RomanaAws.Agent.Ipam;

namespace RomanaAws.Agent.Tests.Ipam;

public sealed class NetworkChoiceTests
{
    private static readonly string[] Known = ["pods", "batch"];

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("pods", null)]
    [InlineData("batch", "batch")]
    public void Resolve_DefaultIsNull_OthersByName(string? requested, string? expected)
    {
        var choice = NetworkChoice.Resolve(requested, Known);
        Assert.Null(choice.Problem);
        Assert.Equal(expected, choice.Network);
    }

    [Fact]
    public void Resolve_UnknownName_NamesItAndTheNetworks_NotRetryable()
    {
        var choice = NetworkChoice.Resolve("Batch", Known);
        Assert.False(choice.TryAgain);
        Assert.Equal("romana.io/network 'Batch' is not a network of the topology (networks: pods, batch)", choice.Problem);
    }

    [Fact]
    public void Resolve_NetworksNotKnownYet_NamedNetworkIsTryAgain_DefaultStillServed()
    {
        Assert.True(NetworkChoice.Resolve("batch", []).TryAgain);
        Assert.Null(NetworkChoice.Resolve(null, []).Problem);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("pods", null)]
    [InlineData("batch", "batch")]
    public void Normalise_DefaultNetworksNameIsNull(string? network, string? expected) =>
        Assert.Equal(expected, NetworkChoice.Normalise(network, Known));
}
