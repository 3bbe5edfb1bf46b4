using System.Net;

namespace RomanaAws.Aws.CloudWatch;

/// <summary>An error CloudWatch answered: its code, message, HTTP status and request id.</summary>
public sealed class CloudWatchException : Exception
{
    public CloudWatchException(string code, string message, HttpStatusCode status, string? requestId)
        : base($"CloudWatch {code} (HTTP {(int)status}): {message}")
    {
        Code = code;
        Status = status;
        RequestId = requestId;
    }

    public CloudWatchException()
        : this("Unknown", "unknown error", HttpStatusCode.InternalServerError, null)
    {
    }

    public CloudWatchException(string message)
        : this("Unknown", message, HttpStatusCode.InternalServerError, null)
    {
    }

    public CloudWatchException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = "Unknown";
    }

    public string Code { get; }

    public HttpStatusCode Status { get; }

    public string? RequestId { get; }

    /// <summary>Worth retrying: throttling and server-side errors.</summary>
    public bool IsTransient => Code is "Throttling" or "ThrottlingException" or "RequestLimitExceeded" or "InternalServiceError" or "ServiceUnavailable"
        || (int)Status >= 500;
}
