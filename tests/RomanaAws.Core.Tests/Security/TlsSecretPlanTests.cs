using RomanaAws.Core.Security;

namespace RomanaAws.Core.Tests.Security;

public sealed class TlsSecretPlanTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-03T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private static readonly PemPair Ca = CertificateMaker.Authority("ca", Now.AddDays(-400), TimeSpan.FromDays(3650));

    private static string Serving(PemPair ca, int daysLeft) =>
        CertificateMaker.Serving(ca, ["romana-aws-controller.romana-aws.svc"], [], Now.AddDays(daysLeft - 365), TimeSpan.FromDays(365)).Certificate;

    [Fact]
    public void NoSecret_Create() => Assert.Equal(TlsSecretAction.Create, TlsSecretPlan.Decide(null, null, Now, TimeSpan.FromDays(30)).Action);

    [Theory]
    [InlineData(200, TlsSecretAction.Keep)]
    [InlineData(31, TlsSecretAction.Keep)]
    [InlineData(30, TlsSecretAction.Renew)]
    [InlineData(1, TlsSecretAction.Renew)]
    [InlineData(-3, TlsSecretAction.Renew)]
    public void KeptCa_RenewsWithinTheWindow(int daysLeft, TlsSecretAction expected) =>
        Assert.Equal(expected, TlsSecretPlan.Decide(Serving(Ca, daysLeft), Ca, Now, TimeSpan.FromDays(30)).Action);

    [Fact]
    public void Expired_SaysSo() =>
        Assert.Contains("expired at", TlsSecretPlan.Decide(Serving(Ca, -3), Ca, Now, TimeSpan.FromDays(30)).Reason, StringComparison.Ordinal);

    [Fact]
    public void OperatorSupplied_NoCaKept_IsNeverTouched() =>
        Assert.Equal(TlsSecretAction.Keep, TlsSecretPlan.Decide(Serving(Ca, 1), null, Now, TimeSpan.FromDays(30)).Action);

    [Fact]
    public void ServingOfAnotherCa_OrUnreadable_Renew()
    {
        var other = CertificateMaker.Authority("other", Now.AddDays(-400), TimeSpan.FromDays(3650));
        Assert.Contains("not the kept CA", TlsSecretPlan.Decide(Serving(other, 200), Ca, Now, TimeSpan.FromDays(30)).Reason, StringComparison.Ordinal);
        Assert.Equal(TlsSecretAction.Renew, TlsSecretPlan.Decide("garbage", Ca, Now, TimeSpan.FromDays(30)).Action);
    }
}
