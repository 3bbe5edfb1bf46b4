using System.Net;

namespace RomanaAws.Agent.Service;

/// <summary>
/// The controller refused a block call: its status code (404 unknown host, 400 bad input, 409 block in use, 507 the
/// group has no free block, 503 state not saved) and its message.
/// </summary>
public sealed class ControllerApiException : Exception
{
    public ControllerApiException(HttpStatusCode status, string message)
        : base(message) => Status = status;

    public ControllerApiException()
    {
    }

    public ControllerApiException(string message)
        : base(message)
    {
    }

    public ControllerApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public HttpStatusCode Status { get; }

    /// <summary>The host's group has no free block: retrying helps only once blocks are given back.</summary>
    public bool IsExhausted => Status == HttpStatusCode.InsufficientStorage;
}
