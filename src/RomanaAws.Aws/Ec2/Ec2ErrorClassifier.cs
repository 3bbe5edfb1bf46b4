using System.Net;

namespace RomanaAws.Aws.Ec2;

/// <summary>Maps EC2 error codes to what they mean. Only <see cref="IsRetryable"/> kinds are ever retried.</summary>
public static class Ec2ErrorClassifier
{
    public static Ec2ErrorKind Classify(string? code, HttpStatusCode status, string? message = null) => code switch
    {
        "RequestLimitExceeded" or "Throttling" or "ThrottlingException" or "EC2ThrottledException" => Ec2ErrorKind.Throttled,
        "InternalError" or "InternalFailure" or "Unavailable" or "ServiceUnavailable" => Ec2ErrorKind.Transient,
        "InvalidRoute.NotFound" => Ec2ErrorKind.RouteNotFound,
        "InvalidParameterValue" when message?.Contains("There is no route defined", StringComparison.Ordinal) == true => Ec2ErrorKind.RouteNotFound,
        "RouteAlreadyExists" => Ec2ErrorKind.RouteAlreadyExists,
        "RouteLimitExceeded" => Ec2ErrorKind.RouteLimitExceeded,
        "InvalidRouteTableID.NotFound" or "InvalidInstanceID.NotFound" or "InvalidNetworkInterfaceID.NotFound" => Ec2ErrorKind.ResourceNotFound,
        "InvalidInstanceID" when message?.Contains("multiple interfaces", StringComparison.Ordinal) == true => Ec2ErrorKind.MultipleInterfaces,
        "UnauthorizedOperation" or "AuthFailure" or "Blocked" => Ec2ErrorKind.Unauthorized,
        "DryRunOperation" => Ec2ErrorKind.DryRunSucceeded,
        "InvalidParameterValue" or "InvalidParameterCombination" or "MissingParameter" or "InvalidParameter" => Ec2ErrorKind.InvalidRequest,
        _ when (int)status >= 500 => Ec2ErrorKind.Transient,
        _ => Ec2ErrorKind.Other,
    };

    public static bool IsRetryable(Ec2ErrorKind kind) => kind is Ec2ErrorKind.Throttled or Ec2ErrorKind.Transient;
}
