using System.Net;

namespace RomanaAws.VpcSim.Ec2;

/// <summary>An EC2 API error: the code and message AWS would answer, and the HTTP status it uses.</summary>
internal sealed class Ec2Exception : Exception
{
    public Ec2Exception(string code, string message, HttpStatusCode status = HttpStatusCode.BadRequest)
        : base(message)
    {
        Code = code;
        Status = status;
    }

    public Ec2Exception()
        : this("InternalError", "An internal error has occurred", HttpStatusCode.InternalServerError)
    {
    }

    public Ec2Exception(string message)
        : this("InternalError", message, HttpStatusCode.InternalServerError)
    {
    }

    public Ec2Exception(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = "InternalError";
        Status = HttpStatusCode.InternalServerError;
    }

    public string Code { get; }

    public HttpStatusCode Status { get; }

    public static Ec2Exception Invalid(string parameter, string? value, string why) =>
        new("InvalidParameterValue", $"Value ({InputEcho.Of(value)}) for parameter {parameter} is invalid. {why}");

    /// <summary>EC2 names the parameter in lower camel case: "The request must contain the parameter routeTableId".</summary>
    public static Ec2Exception Missing(string parameter) =>
        new("MissingParameter", $"The request must contain the parameter {char.ToLowerInvariant(parameter[0])}{parameter[1..]}");
}
