using System.Net;
using RomanaAws.Aws.Ec2;

namespace RomanaAws.Aws.Tests.Ec2;

public sealed class Ec2ErrorClassifierTests
{
    [Theory]
    [InlineData("RequestLimitExceeded", 503, null, Ec2ErrorKind.Throttled, true)]
    [InlineData("InternalError", 500, null, Ec2ErrorKind.Transient, true)]
    [InlineData("Unavailable", 503, null, Ec2ErrorKind.Transient, true)]
    [InlineData("SomethingNew", 502, null, Ec2ErrorKind.Transient, true)]
    [InlineData("InvalidRoute.NotFound", 400, null, Ec2ErrorKind.RouteNotFound, false)]
    [InlineData("InvalidParameterValue", 400, "There is no route defined for '100.96.0.0/16' in the route table. Use CreateRoute instead.", Ec2ErrorKind.RouteNotFound, false)]
    [InlineData("InvalidParameterValue", 400, "Value (x) for parameter destinationCidrBlock is invalid.", Ec2ErrorKind.InvalidRequest, false)]
    [InlineData("RouteAlreadyExists", 400, null, Ec2ErrorKind.RouteAlreadyExists, false)]
    [InlineData("RouteLimitExceeded", 400, null, Ec2ErrorKind.RouteLimitExceeded, false)]
    [InlineData("InvalidRouteTableID.NotFound", 400, null, Ec2ErrorKind.ResourceNotFound, false)]
    [InlineData("InvalidInstanceID", 400, "There are multiple interfaces attached to instance 'i-1'.", Ec2ErrorKind.MultipleInterfaces, false)]
    [InlineData("UnauthorizedOperation", 403, null, Ec2ErrorKind.Unauthorized, false)]
    [InlineData("DryRunOperation", 412, null, Ec2ErrorKind.DryRunSucceeded, false)]
    [InlineData("Weird", 400, null, Ec2ErrorKind.Other, false)]
    public void Classify_NamedCodes(string code, int status, string? message, Ec2ErrorKind kind, bool retryable)
    {
        var actual = Ec2ErrorClassifier.Classify(code, (HttpStatusCode)status, message);
        Assert.Equal(kind, actual);
        Assert.Equal(retryable, Ec2ErrorClassifier.IsRetryable(actual));
    }
}
