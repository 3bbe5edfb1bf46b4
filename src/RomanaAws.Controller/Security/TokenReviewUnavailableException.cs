namespace RomanaAws.Controller.Security;

/// <summary>The API server could not be asked about a token (unreachable, or it refused the controller's own review): 503, not 401.</summary>
public sealed class TokenReviewUnavailableException : Exception
{
    public TokenReviewUnavailableException()
    {
    }

    public TokenReviewUnavailableException(string message)
        : base(message)
    {
    }

    public TokenReviewUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
