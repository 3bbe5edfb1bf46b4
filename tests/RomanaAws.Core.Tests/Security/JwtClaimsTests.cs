using System.Text;
using RomanaAws.Core.Security;

namespace RomanaAws.Core.Tests.Security;

public sealed class JwtClaimsTests
{
    private static string Jwt(string payload) => $"eyJhbGciOiJSUzI1NiJ9.{Base64Url.Encode(Encoding.UTF8.GetBytes(payload))}.c2ln";

    [Fact]
    public void TryRead_AServiceAccountToken_GivesIssuedExpiresSubject()
    {
        var claims = JwtClaims.TryRead(Jwt("{\"aud\":[\"romana-aws-controller\"],\"exp\":1800003600,\"iat\":1800000000,\"sub\":\"system:serviceaccount:romana-aws:romana-aws-agent\"}"));
        Assert.NotNull(claims);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000), claims.IssuedAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_800_003_600), claims.Expires);
        Assert.Equal("system:serviceaccount:romana-aws:romana-aws-agent", claims.Subject);
    }

    [Theory]
    [InlineData("not-a-jwt")]
    [InlineData("a.b")]
    [InlineData("a.!!!.c")]
    [InlineData("")]
    public void TryRead_NotACompactJws_IsNull(string token) => Assert.Null(JwtClaims.TryRead(token));

    [Fact]
    public void TryRead_PayloadNotAnObject_OrTimesNotNumbers_GivesNoTimes()
    {
        Assert.Null(JwtClaims.TryRead(Jwt("[1,2]")));
        var claims = JwtClaims.TryRead(Jwt("{\"exp\":\"tomorrow\",\"iat\":-5}"));
        Assert.NotNull(claims);
        Assert.Equal((null, null), (claims.Expires, claims.IssuedAt));
    }
}
