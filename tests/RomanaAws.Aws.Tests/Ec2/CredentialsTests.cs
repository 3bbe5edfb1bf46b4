using RomanaAws.Aws.Ec2;

namespace RomanaAws.Aws.Tests.Ec2;

public sealed class CredentialsTests
{
    [Fact]
    public void LoopbackEndpoint_EnvironmentOrFixedLocalCredentials_NeverTheMetadataService()
    {
        // The SDK's chain would end at the instance metadata service (and wait ~40 s for it off EC2); a local endpoint never asks it.
        var credentials = Ec2ClientFactory.ResolveCredentials(new Uri("http://127.0.0.1:4566/")).GetCredentials();
        var expected = Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID") is { Length: > 0 } key && Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY") is { Length: > 0 } ? key : "romana-local";
        Assert.Equal(expected, credentials.AccessKey);
    }
}
