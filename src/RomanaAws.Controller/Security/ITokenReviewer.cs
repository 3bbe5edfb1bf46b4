namespace RomanaAws.Controller.Security;

/// <summary>Asks whether a bearer token is valid, and for whom. Throws <see cref="TokenReviewUnavailableException"/> when it cannot tell.</summary>
public interface ITokenReviewer
{
    Task<TokenReviewOutcome> ReviewAsync(string token, CancellationToken cancellationToken);
}
