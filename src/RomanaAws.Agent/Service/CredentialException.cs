namespace RomanaAws.Agent.Service;

/// <summary>
/// The agent has no usable credential for the controller (token file missing, empty or expired): the call is not sent,
/// and the message says what to fix. An <see cref="HttpRequestException"/>, so each caller reports it as it reports an
/// unreachable controller, and retries at its next tick (a refreshed file is picked up then).
/// </summary>
public sealed class CredentialException : HttpRequestException
{
    public CredentialException()
    {
    }

    public CredentialException(string message)
        : base(message)
    {
    }

    public CredentialException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
