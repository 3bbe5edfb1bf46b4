using System.Net;
using Amazon.EC2;

namespace RomanaAws.VpcSim.Tests;

internal static class Ec2Assert
{
    /// <summary>Asserts the call fails with the EC2 error code (and HTTP status) AWS would answer.</summary>
    public static async Task<AmazonEC2Exception> Fails(string code, Func<Task> call, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        var ex = await Assert.ThrowsAsync<AmazonEC2Exception>(call);
        Assert.Equal(code, ex.ErrorCode);
        Assert.Equal(status, ex.StatusCode);
        Assert.False(string.IsNullOrEmpty(ex.RequestId));
        return ex;
    }
}
