using System.Net;

namespace RomanaAws.Aws.Ec2;

/// <summary>An EC2 call that failed after retries: classified, with the AWS code and message.</summary>
public sealed class Ec2ApiException : Exception
{
    public Ec2ApiException(string operation, Ec2ErrorKind kind, string code, string message, HttpStatusCode status, Exception? inner = null)
        : base($"{operation}: {code}: {message}", inner)
    {
        Operation = operation;
        Kind = kind;
        Code = code;
        Status = status;
    }

    public Ec2ApiException()
        : this("?", Ec2ErrorKind.Other, "Unknown", "unknown", HttpStatusCode.InternalServerError)
    {
    }

    public Ec2ApiException(string message)
        : this("?", Ec2ErrorKind.Other, "Unknown", message, HttpStatusCode.InternalServerError)
    {
    }

    public Ec2ApiException(string message, Exception innerException)
        : this("?", Ec2ErrorKind.Other, "Unknown", message, HttpStatusCode.InternalServerError, innerException)
    {
    }

    public string Operation { get; }

    public Ec2ErrorKind Kind { get; }

    public string Code { get; }

    public HttpStatusCode Status { get; }
}
