using System.Text;
using Microsoft.Extensions.Time.Testing;
using RomanaAws.Controller.Security;

namespace RomanaAws.Controller.Tests.Security;

public sealed class CachedTokenReviewerTests
{
    private sealed class CountingReviewer(Func<string, TokenReviewOutcome> answer) : ITokenReviewer
    {
        public int Calls { get; private set; }

        public Task<TokenReviewOutcome> ReviewAsync(string token, CancellationToken cancellationToken)
        {
            Calls++;
            return Task.FromResult(answer(token));
        }
    }

    private static readonly TokenReviewOutcome Alice = new(true, "alice", [], new Dictionary<string, IReadOnlyList<string>>(), null);

    private static string Jwt(DateTimeOffset expires) => $"e30.{Core.Security.Base64Url.Encode(Encoding.UTF8.GetBytes($"{{\"exp\":{expires.ToUnixTimeSeconds()}}}"))}.c2ln";

    [Fact]
    public async Task Review_IsReusedForTheTtl_ThenAskedAgain()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-03T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var inner = new CountingReviewer(_ => Alice);
        var cache = new CachedTokenReviewer(inner, time, TimeSpan.FromSeconds(60));
        for (var i = 0; i < 10; i++)
        {
            Assert.True((await cache.ReviewAsync("static-token", CancellationToken.None)).Authenticated);
        }

        Assert.Equal(1, inner.Calls);
        time.Advance(TimeSpan.FromSeconds(60));
        await cache.ReviewAsync("static-token", CancellationToken.None);
        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public async Task Review_NeverOutlivesTheTokensExpiry()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-03T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var inner = new CountingReviewer(_ => time.GetUtcNow() < time.Start.AddSeconds(10) ? Alice : TokenReviewOutcome.Refused("service account token has expired"));
        var cache = new CachedTokenReviewer(inner, time, TimeSpan.FromSeconds(60));
        var token = Jwt(time.GetUtcNow().AddSeconds(10));
        Assert.True((await cache.ReviewAsync(token, CancellationToken.None)).Authenticated);
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.False((await cache.ReviewAsync(token, CancellationToken.None)).Authenticated);
        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public async Task Refusal_IsReusedBriefly_SoAFloodOfOneBadTokenCostsFewReviews()
    {
        var time = new FakeTimeProvider();
        var inner = new CountingReviewer(_ => TokenReviewOutcome.Refused("invalid bearer token"));
        var cache = new CachedTokenReviewer(inner, time, TimeSpan.FromSeconds(60));
        for (var i = 0; i < 100; i++)
        {
            await cache.ReviewAsync("bad", CancellationToken.None);
        }

        Assert.Equal(1, inner.Calls);
        time.Advance(TimeSpan.FromSeconds(6));
        await cache.ReviewAsync("bad", CancellationToken.None);
        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public async Task ZeroTtl_AsksEveryTime()
    {
        var inner = new CountingReviewer(_ => Alice);
        var cache = new CachedTokenReviewer(inner, new FakeTimeProvider(), TimeSpan.Zero);
        await cache.ReviewAsync("t", CancellationToken.None);
        await cache.ReviewAsync("t", CancellationToken.None);
        Assert.Equal(2, inner.Calls);
    }
}
